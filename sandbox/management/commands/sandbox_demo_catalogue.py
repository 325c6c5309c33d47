"""``manage.py sandbox_demo_catalogue``: a small catalogue so the sandbox shop can sell.

Idempotent: what exists already (looked up by name, UPC, country code) is left
as it is, so stock sold in the sandbox is not reset by a second run. A product
without a picture gets one, drawn by :mod:`sandbox.demo_images`. At the end the
search index is built anew (the sandbox's index, sandbox/search_indexes.py),
which Oscar's catalogue pages read.

Checkout needs a shipping method and a shipping country. Oscar's default
shipping repository offers free shipping, which is enough here; the countries
come from ``oscar_populate_countries`` (if pycountry is installed) with
Germany and Austria marked as shipping countries.
"""

import io
import warnings
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from sandbox.demo_images import product_picture

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ProductClass = get_model("catalogue", "ProductClass")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")
Country = get_model("address", "Country")

WAREHOUSE = "MLM Sandbox Warehouse"
CURRENCY = "EUR"

# (ISO alpha-2, alpha-3, numeric, printable name, official name)
SHIPPING_COUNTRIES = (
    ("DE", "DEU", "276", "Germany", "Federal Republic of Germany"),
    ("AT", "AUT", "040", "Austria", "Republic of Austria"),
)

# (UPC, product class, category breadcrumb, title, price, stock, description)
PRODUCTS = (
    (
        "MLM-SC-001",
        "Skin care",
        "Skin care > Face",
        "Aloe Vera Day Cream",
        "24.90",
        120,
        "A light day cream with 40 % organic aloe vera. 50 ml.",
    ),
    (
        "MLM-SC-002",
        "Skin care",
        "Skin care > Face",
        "Hyaluronic Night Serum",
        "34.50",
        80,
        "An intensive night serum with hyaluronic acid for smooth skin. 30 ml.",
    ),
    (
        "MLM-SC-003",
        "Skin care",
        "Skin care > Face",
        "Rose Facial Toner",
        "17.90",
        150,
        "A mild, alcohol-free toner with Damask rose water. 200 ml.",
    ),
    (
        "MLM-SC-004",
        "Skin care",
        "Skin care > Body",
        "Shea Body Lotion",
        "14.90",
        200,
        "A rich body lotion with shea butter and almond oil. 250 ml.",
    ),
    (
        "MLM-SC-005",
        "Skin care",
        "Skin care > Body",
        "Sea Salt Body Scrub",
        "19.90",
        90,
        "A body scrub with Dead Sea salt and jojoba oil. 300 g.",
    ),
    (
        "MLM-NU-001",
        "Nutrition",
        "Nutrition > Shakes",
        "Vanilla Protein Shake",
        "29.90",
        300,
        "A plant-based protein shake with vanilla flavour. 500 g, 20 servings.",
    ),
    (
        "MLM-NU-002",
        "Nutrition",
        "Nutrition > Shakes",
        "Chocolate Protein Shake",
        "29.90",
        300,
        "A plant-based protein shake with cocoa. 500 g, 20 servings.",
    ),
    (
        "MLM-NU-003",
        "Nutrition",
        "Nutrition > Supplements",
        "Vitamin D3 + K2 Drops",
        "16.50",
        250,
        "Vitamin D3 and K2 in MCT oil. 20 ml, about 600 drops.",
    ),
    (
        "MLM-NU-004",
        "Nutrition",
        "Nutrition > Supplements",
        "Omega-3 Capsules",
        "21.00",
        180,
        "Omega-3 fatty acids from algae oil, vegan. 90 capsules.",
    ),
    (
        "MLM-NU-005",
        "Nutrition",
        "Nutrition > Teas",
        "Green Detox Tea",
        "9.90",
        400,
        "Organic green tea with lemongrass and ginger. 20 bags.",
    ),
    (
        "MLM-BK-001",
        "Books",
        "Books > Business",
        "The Network Marketing Handbook",
        "19.99",
        60,
        "How direct selling works: products, customers, sponsoring and fair commissions.",
    ),
    (
        "MLM-BK-002",
        "Books",
        "Books > Business",
        "Your First 90 Days as a Partner",
        "12.99",
        75,
        "A practical guide for new sales partners: first customers, first line, first month.",
    ),
)


class Command(BaseCommand):
    help = (
        "Create the sandbox's demo catalogue (idempotent): a fulfilment partner, product "
        "classes, categories, products with pictures, EUR prices and stock, and shipping "
        "countries."
    )

    def handle(self, *args, **options):
        with warnings.catch_warnings(), transaction.atomic():
            # haystack's simple backend (it searches the database) warns that it
            # keeps no index, on each save (Oscar turns on realtime updates).
            warnings.filterwarnings("ignore", r"\w+ is not implemented", UserWarning)
            countries = self.ensure_countries()
            warehouse, _ = Partner.objects.get_or_create(name=WAREHOUSE)
            created = 0
            for upc, class_name, breadcrumb, title, price, stock, description in PRODUCTS:
                product_class, _ = ProductClass.objects.get_or_create(
                    name=class_name, defaults={"requires_shipping": True, "track_stock": True}
                )
                product, new = Product.objects.get_or_create(
                    upc=upc,
                    defaults={
                        "title": title,
                        "description": description,
                        "product_class": product_class,
                        "structure": Product.STANDALONE,
                        "is_public": True,
                    },
                )
                created += new
                category = create_from_breadcrumbs(breadcrumb)
                ProductCategory.objects.get_or_create(product=product, category=category)
                StockRecord.objects.get_or_create(
                    product=product,
                    partner=warehouse,
                    defaults={
                        "partner_sku": upc,
                        "price_currency": CURRENCY,
                        "price": Decimal(price),
                        "num_in_stock": stock,
                    },
                )
                if not product.images.exists():
                    picture = product_picture(title, class_name)
                    ProductImage.objects.create(
                        product=product,
                        original=ContentFile(picture, name=f"{upc.lower()}.png"),
                        caption=title,
                        display_order=0,
                    )
            # The realtime index update ran before each product had its stock
            # record (price, availability); index the finished products again, in
            # a fresh index (an index of an older sandbox may lack today's fields).
            call_command("rebuild_index", interactive=False, verbosity=0)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo catalogue: {created} of {len(PRODUCTS)} products created "
                    f"({len(PRODUCTS) - created} existed), stock at '{WAREHOUSE}', "
                    f"shipping to {', '.join(countries)}."
                )
            )

    def ensure_countries(self):
        if not Country.objects.exists():
            try:
                import pycountry  # noqa: F401
            except ImportError:
                pass  # only the shipping countries below
            else:
                # It always prints a line of its own; keep our output short.
                call_command("oscar_populate_countries", "--no-shipping", stdout=io.StringIO())
        names = []
        for a2, a3, numeric, printable_name, name in SHIPPING_COUNTRIES:
            country, _ = Country.objects.get_or_create(
                iso_3166_1_a2=a2,
                defaults={
                    "iso_3166_1_a3": a3,
                    "iso_3166_1_numeric": numeric,
                    "printable_name": printable_name,
                    "name": name,
                },
            )
            if not country.is_shipping_country:
                country.is_shipping_country = True
                country.save(update_fields=["is_shipping_country"])
            names.append(country.printable_name)
        return names
