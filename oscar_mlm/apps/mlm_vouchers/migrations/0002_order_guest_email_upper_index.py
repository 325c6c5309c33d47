"""An index on UPPER(guest_email) of Oscar's order table (PostgreSQL).

The new-customer rule (``rules.has_ordered``) asks on every basket offer
evaluation whether an order exists under the buyer's e-mail address, as a
guest too. See ``mlm_network.indexes``.
"""

from django.db import migrations
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.indexes import create_upper_index, drop_index

INDEX = "mlm_order_guest_email_upper"


def create(apps, schema_editor):
    create_upper_index(schema_editor, get_model("order", "Order"), "guest_email", INDEX)


def drop(apps, schema_editor):
    drop_index(schema_editor, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("mlm_network", "0005_user_email_upper_index"),
        ("mlm_vouchers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
