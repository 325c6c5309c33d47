"""A trigram index on the user's full name (PostgreSQL with ``pg_trgm``), for the back
office's name search (``LOWER(first_name || ' ' || last_name) LIKE '%word%'``).

Without it the search compared the name of every user of the shop: 1.3 s at a million
users. See ``..indexes`` and docs/benchmarks.rst ("Partner back office").
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations

from oscar_mlm.apps.mlm_network.indexes import create_name_trigram_index, drop_index

INDEX = "mlm_user_name_trgm"


def create(apps, schema_editor):
    create_name_trigram_index(schema_editor, get_user_model(), INDEX)


def drop(apps, schema_editor):
    drop_index(schema_editor, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("mlm_network", "0006_erasure"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
