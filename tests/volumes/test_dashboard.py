"""Staff set what a product counts; Oscar's product page shows the volume and the credit tab."""

from decimal import Decimal as D

import pytest
from django.apps import apps
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

from oscar_mlm.apps.mlm_commissions import services
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db

VolumeRule = get_model("mlm_commissions", "VolumeRule")
ProductClass = get_model("catalogue", "ProductClass")


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def cream(db):
    return oscar_factories.create_product(title="Day cream", price=D("29.90"), num_in_stock=5)


def product_page(client, product):
    response = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_oscars_product_page_shows_both_tabs(client, staff, cream):
    html = product_page(client, cream)
    assert 'href="#mlm_credit"' in html and 'id="mlm-credit-product-rule"' in html
    assert 'href="#mlm_volume"' in html and 'id="mlm-volume-product-rule"' in html
    assert "Merchandise value" in html
    services.set_volume_rule(target=cream.get_product_class(), type="none")
    html = product_page(client, cream)
    assert "Not commissionable" in html and "set on the product type" in html
    url = reverse("mlm_dashboard:mlm-volume-product-rule", kwargs={"product_pk": cream.pk})
    assert url in html


def test_each_tab_shows_without_the_other(client, staff, cream, monkeypatch):
    """An app's tabs come from its app config (oscar_mlm.product_tabs): without them, no tab."""
    credit, commissions = apps.get_app_config("mlm_credit"), apps.get_app_config("mlm_commissions")
    with monkeypatch.context() as patch:
        patch.setattr(credit, "dashboard_product_tabs", [])
        html = product_page(client, cream)
        assert "#mlm_volume" in html and "#mlm_credit" not in html
    with monkeypatch.context() as patch:
        patch.setattr(commissions, "dashboard_product_tabs", [])
        html = product_page(client, cream)
        assert "#mlm_credit" in html and "#mlm_volume" not in html
        patch.setattr(credit, "dashboard_product_tabs", [])
        assert "Product details" in product_page(client, cream)


def test_the_create_page_has_no_tabs(client, staff):
    product_class = ProductClass.objects.create(name="Soaps")
    url = reverse(
        "dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug}
    )
    html = client.get(url).content.decode()
    assert "#mlm_volume" not in html and "#mlm_credit" not in html


def test_staff_set_points_then_remove_the_setting(client, staff, cream):
    url = reverse("mlm_dashboard:mlm-volume-product-rule", kwargs={"product_pk": cream.pk})
    response = client.post(url, {"type": "points", "points": "12.50"})
    assert response.status_code == 302
    rule = VolumeRule.objects.get(product=cream)
    assert (rule.type, rule.points) == ("points", D("12.50"))
    assert "12.50 volume points per unit" in client.get(url).content.decode()
    client.post(url, {"type": "", "points": ""})
    assert not VolumeRule.objects.exists()


def test_staff_make_a_product_type_not_commissionable(client, staff, cream):
    product_class = cream.get_product_class()
    url = reverse("mlm_dashboard:mlm-volume-class-rule", kwargs={"class_pk": product_class.pk})
    assert client.post(url, {"type": "none"}).status_code == 302
    assert VolumeRule.objects.get(product_class=product_class).type == "none"
    listing = client.get(reverse("mlm_dashboard:mlm-volume-rule-list")).content.decode()
    assert product_class.name in listing and "Not commissionable" in listing


@pytest.mark.parametrize(
    "data",
    [
        {"type": "points", "points": ""},
        {"type": "points", "points": "-1"},
        {"type": "points", "points": "²"},
        {"type": "points", "points": "1\x00"},
        {"type": "points", "points": "1e40"},
        {"type": "points", "points": "abc"},
        {"type": "bogus"},
    ],
)
def test_bad_input_shows_a_message_and_changes_nothing(client, staff, cream, data):
    services.set_volume_rule(target=cream, type="points", points="3")
    url = reverse("mlm_dashboard:mlm-volume-product-rule", kwargs={"product_pk": cream.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert VolumeRule.objects.get().points == D("3.00")


def test_search_and_odd_ids(client, staff, cream):
    listing = client.get(reverse("mlm_dashboard:mlm-volume-rule-list"), {"q": "cream"})
    assert "Day cream" in listing.content.decode()
    assert (
        client.get(reverse("mlm_dashboard:mlm-volume-rule-list"), {"q": "a\x00"}).status_code
        == 200
    )
    assert client.get("/dashboard/mlm/volumes/products/999999/").status_code == 404
    assert client.get("/dashboard/mlm/volumes/products/²/").status_code == 404


def test_customers_cannot_reach_the_pages(client, cream):
    client.force_login(UserFactory())
    url = reverse("mlm_dashboard:mlm-volume-product-rule", kwargs={"product_pk": cream.pk})
    assert client.post(url, {"type": "none"}).status_code == 403  # logged in, not staff
    assert not VolumeRule.objects.exists()


def test_a_later_apps_tab_replaces_ours_of_the_same_id(monkeypatch):
    from oscar_mlm.product_tabs import ProductTab, product_tabs

    ours = [tab.id for tab in product_tabs()]
    assert ours == ["mlm_credit", "mlm_volume"]
    shop_tab = ProductTab("mlm_credit", "Points", "shop/points_tab.html", order=120)
    monkeypatch.setattr(
        apps.get_app_config("sandbox"), "dashboard_product_tabs", [shop_tab], raising=False
    )
    assert [(tab.id, tab.label) for tab in product_tabs()] == [
        ("mlm_volume", "Volume"),
        ("mlm_credit", "Points"),
    ]
