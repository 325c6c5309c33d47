"""Case-insensitive indexes on tables of Django and Oscar (PostgreSQL).

On PostgreSQL Django turns ``field__iexact=value`` into
``UPPER(column::text) = UPPER(value)``, which no index on the column serves:
at a million users every such lookup read the whole table. Our migrations add
``UPPER(column::text)`` expression indexes to tables we cannot declare in
models (the user's e-mail address, an order's guest e-mail address). They are
built CONCURRENTLY (the migration is not atomic), so a live shop keeps
writing to the table meanwhile. Other databases get nothing from here; see
docs/network.rst ("E-mail addresses").
"""

import logging

from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def _postgres(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def create_upper_index(schema_editor, model, field_name, name):
    """``CREATE INDEX name ON model's table (UPPER(column::text))``, if not there yet."""
    if not _postgres(schema_editor):
        return
    try:
        column = model._meta.get_field(field_name).column
    except FieldDoesNotExist:
        return  # a custom user model without that field
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        _build_concurrently(
            cursor, quote, name, f"{quote(model._meta.db_table)} (UPPER({quote(column)}::text))"
        )


def _build_concurrently(cursor, quote, name, target):
    """``CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON target``."""
    # A CONCURRENTLY build that failed leaves an invalid index behind: build it again.
    cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name])
    row = cursor.fetchone()
    if row and not row[0]:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}")
    cursor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(name)} ON {target}")


def name_search_expression(quote, first, last, alias=""):
    """``LOWER(first_name || ' ' || last_name)``: what the name search matches (and indexes)."""
    prefix = f"{alias}." if alias else ""
    return f"LOWER({prefix}{quote(first)} || ' ' || {prefix}{quote(last)})"


def create_name_trigram_index(schema_editor, model, name):
    """A trigram index (``pg_trgm``) on the user's full name for ``LIKE '%word%'``.

    Without the extension (a database user that may not create it) nothing is built and
    the name search reads more rows; it finds the same members.
    """
    if not _postgres(schema_editor):
        return
    try:
        first = model._meta.get_field("first_name").column
        last = model._meta.get_field("last_name").column
    except FieldDoesNotExist:
        return
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            logger.warning("pg_trgm not available (%s): the name search goes without %s", exc, name)
            return
        _build_concurrently(
            cursor,
            quote,
            name,
            f"{quote(model._meta.db_table)}"
            f" USING gin ({name_search_expression(quote, first, last)} gin_trgm_ops)",
        )


def drop_index(schema_editor, name):
    if _postgres(schema_editor):
        quote = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}")
