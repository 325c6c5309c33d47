"""The UPPER(email) indexes serve ``__iexact`` lookups on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from oscar.core.loading import get_model

from oscar_mlm.demo import bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

User = get_user_model()
Order = get_model("order", "Order")


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def indexes_of(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
        )
        return dict(cursor.fetchall())


def test_the_user_table_has_an_upper_email_index():
    definition = indexes_of(User._meta.db_table)["mlm_user_email_upper"]
    assert "upper((email)::text)" in definition


def test_the_order_table_has_an_upper_guest_email_index():
    definition = indexes_of(Order._meta.db_table)["mlm_order_guest_email_upper"]
    assert "upper((guest_email)::text)" in definition


def many_users(count=20_000, **columns):
    """``count`` users written in bulk and analysed; ``columns``: ``{name: f(index, pk)}``."""
    ids = bulk.reserve_ids(User, count)
    values = {
        "id": ids,
        "password": "!",
        "username": [f"u{pk}" for pk in ids],
        "email": [f"person{pk}@example.com" for pk in ids],
    }
    values.update(
        {name: [value(i, pk) for i, pk in enumerate(ids)] for name, value in columns.items()}
    )
    bulk.insert(User, len(ids), values)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {User._meta.db_table}")
    return ids


def test_email_iexact_uses_the_index_on_a_large_user_table():
    ids = many_users()
    lookup = User._default_manager.filter(email__iexact=f"PERSON{ids[7]}@example.com")
    plan = plan_of(lookup)
    assert "mlm_user_email_upper" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert lookup.get().pk == ids[7]


def test_the_user_table_has_a_trigram_index_on_the_full_name():
    from oscar_mlm.apps.mlm_network.indexes import name_search_expression

    definition = indexes_of(User._meta.db_table)["mlm_user_name_trgm"]
    assert "gin_trgm_ops" in definition and "lower(" in definition
    ids = many_users(
        first_name=lambda i, pk: "Zelda" if i == 7 else f"Name{pk}",
        last_name=lambda i, pk: "Quornfield",
    )
    with connection.cursor() as cursor:
        name = name_search_expression(connection.ops.quote_name, "first_name", "last_name")
        sql = f"SELECT id FROM {User._meta.db_table} WHERE {name} LIKE %s"
        # The index serves the search's expression (at 20 000 users the planner may still
        # prefer reading them all; at a million it does not: docs/benchmarks.rst).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, ["%zelda%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "mlm_user_name_trgm" in plan, plan
        cursor.execute(sql, ["%zelda%"])
        assert cursor.fetchall() == [(ids[7],)]
