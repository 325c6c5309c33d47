from io import StringIO

from django.core.management import call_command


def test_no_missing_migrations(db):
    # No app labels: naming "oscar" would flag the test models oscar.test registers.
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    assert "No changes detected" in out.getvalue()
