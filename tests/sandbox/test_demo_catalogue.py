"""``manage.py sandbox_demo_catalogue``: the sandbox shop's demo catalogue."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from oscar.core.loading import get_class, get_model
from PIL import Image

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("sandbox_demo_catalogue", stdout=out, stderr=StringIO())
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Product,
            ProductClass,
            StockRecord,
            Country,
            get_model("catalogue", "Category"),
            get_model("catalogue", "ProductCategory"),
            get_model("partner", "Partner"),
            get_model("catalogue", "ProductImage"),
        )
    }


def test_products_have_prices_stock_and_categories():
    out = run()

    products = Product.objects.all()
    assert products.count() >= 10
    assert "products created" in out
    assert set(ProductClass.objects.values_list("name", flat=True)) == {
        "Skin care",
        "Nutrition",
        "Books",
    }
    for product in products:
        assert product.is_public and product.upc and product.title and product.description
        assert product.categories.exists()
        record = product.stockrecords.get()
        assert record.partner.name == "MLM Sandbox Warehouse"
        assert record.price_currency == "EUR"
        assert isinstance(record.price, Decimal) and record.price > 0
        assert record.num_in_stock > 0
        assert product.get_product_class().track_stock


def test_every_product_has_a_picture_drawn_at_set_up():
    run()
    run()  # no second picture

    for product in Product.objects.all():
        image = product.images.get()
        picture = Image.open(image.original)
        assert picture.format == "PNG" and picture.size == (600, 600)
        # Not a blank canvas: the package and its label are drawn.
        assert len(picture.convert("RGB").getcolors(maxcolors=100_000)) > 50
        assert image.caption == product.title


def test_running_twice_creates_nothing_and_keeps_sold_stock():
    run()
    before = counts()
    record = StockRecord.objects.get(product__upc="MLM-SC-001")
    record.num_in_stock = 3
    record.save()

    out = run()

    assert counts() == before
    assert "0 of" in out
    assert StockRecord.objects.get(product__upc="MLM-SC-001").num_in_stock == 3


def test_checkout_can_ship_to_germany_and_austria():
    run()

    offered = ShippingAddressForm().fields["country"].queryset
    assert {"DE", "AT"} <= set(offered.values_list("iso_3166_1_a2", flat=True))
    assert Country.objects.get(iso_3166_1_a2="DE").printable_name == "Germany"


def test_product_page_shows_title_and_price(client):
    run()
    product = Product.objects.get(upc="MLM-SC-001")

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert product.title in response.content.decode()
    assert "24.90" in response.content.decode()


def test_catalogue_page_lists_the_products(client):
    # The search index is a directory, not rolled back with the test database:
    # drop what earlier tests indexed before building the catalogue.
    from haystack import connections

    connections["default"].get_backend().clear()
    run()

    response = client.get("/catalogue/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Aloe Vera Day Cream" in page
    assert "Your First 90 Days as a Partner" in page or "page=2" in page


def test_catalogue_facets_name_the_product_types(client):
    from haystack import connections

    connections["default"].get_backend().clear()
    run()

    response = client.get("/catalogue/")

    facets = {
        item["name"]: item["count"]
        for item in response.context["facet_data"]["product_type"]["results"]
    }
    assert facets == {"Skin care": 5, "Nutrition": 5, "Books": 2}
    assert set(response.context["facet_data"]) == {"product_type"}  # no "Rating: None"
    page = response.content.decode()
    assert ">nutrit<" not in page and "None" not in page

    narrowed = client.get("/catalogue/", {"selected_facets": "product_type:Skin care"})

    titles = {result.object.title for result in narrowed.context["page_obj"].object_list}
    assert titles == {
        "Aloe Vera Day Cream",
        "Hyaluronic Night Serum",
        "Rose Facial Toner",
        "Shea Body Lotion",
        "Sea Salt Body Scrub",
    }
