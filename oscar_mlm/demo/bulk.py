"""Writing many rows fast: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

Rows are given as columns (``{attname: list or single value}``), the way the
generators build them. No ``save()``, no signals: callers keep the models'
invariants themselves.
"""

from django.db import connection
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

# Values psycopg adapts exactly as the field would prepare them.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField", "CharField", "TextField", "EmailField", "SlugField",
    "BooleanField", "DecimalField", "DateTimeField", "ForeignKey", "OneToOneField",
}  # fmt: skip


def reserve_ids(model, count):
    """``count`` new primary keys for ``model``, in ascending order.

    On PostgreSQL they come from the table's sequence, so concurrent inserts
    never collide with them. Elsewhere they follow the highest id in use (and
    on SQLite, the highest ever handed out); call it inside the transaction
    that writes them.
    """
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def insert(model, count, columns):
    """INSERT ``count`` rows of ``model`` given as ``columns``.

    ``columns`` maps field attnames to a list of ``count`` values or to one
    value for every row. Fields left out get their default (the current time
    for ``auto_now``/``auto_now_add``, NULL if nullable); a NOT NULL field
    without a default is an error. Leave out an auto primary key to let the
    database number the rows.
    """
    if count <= 0:
        return
    meta = model._meta
    fields, values = [], []
    now = timezone.now()
    for f in meta.concrete_fields:
        if f.attname in columns:
            value = columns[f.attname]
        elif f.primary_key and isinstance(f, AutoFieldMixin):
            continue
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.empty_strings_allowed:
            value = ""
        else:
            raise ValueError(f"{meta.label}.{f.name} needs a value: it is required, no default")
        fields.append(f)
        values.append(_prepared(f, value, count))
    unknown = set(columns) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{meta.label} has no fields {sorted(unknown)}")

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(f.column) for f in fields)
    rows = zip(*values, strict=True)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # psycopg 3: COPY streams the rows in one go (executemany waits per row).
            with connection.wrap_database_errors:
                with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            # SQLite runs in-process; executemany also skips DEBUG's per-query quoting.
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", list(rows)
            )


class _Repeat:
    """One value ``count`` times, without a list of them."""

    def __init__(self, value, count):
        self.value, self.count = value, count

    def __iter__(self):
        for _ in range(self.count):
            yield self.value


def _prepared(field, value, count):
    """The column's values as the database takes them (what ``save()`` would send)."""
    if not isinstance(value, list | tuple | range):
        return _Repeat(field.get_db_prep_save(value, connection), count)
    if len(value) != count:
        raise ValueError(f"{field.name}: {len(value)} values for {count} rows")
    if connection.vendor == "postgresql" and field.get_internal_type() in _PLAIN_TYPES:
        return value
    return [field.get_db_prep_save(v, connection) for v in value]
