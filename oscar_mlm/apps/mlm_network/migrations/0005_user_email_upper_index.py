"""An index on UPPER(email) of the user table (PostgreSQL), for ``email__iexact``.

``services.create_person``, Oscar's registration form and Oscar's e-mail login
backend look users up by ``email__iexact``: without it each lookup reads the
whole user table (580 ms at a million users). See ``..indexes``.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations

from oscar_mlm.apps.mlm_network.indexes import create_upper_index, drop_index

INDEX = "mlm_user_email_upper"


def create(apps, schema_editor):
    User = get_user_model()
    create_upper_index(schema_editor, User, User.get_email_field_name(), INDEX)


def drop(apps, schema_editor):
    drop_index(schema_editor, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("mlm_network", "0004_distributor_parent_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
