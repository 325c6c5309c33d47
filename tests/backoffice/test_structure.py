"""The structure: pages by key (never OFFSET), filters, search, the CSV export, privacy."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oscar_mlm.apps.mlm_backoffice import structure
from oscar_mlm.apps.mlm_backoffice.structure import Filters, Key
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

from .conftest import person

pytestmark = pytest.mark.django_db

LIST = reverse("mlm_backoffice:mlm-backoffice-structure-list")
EXPORT = reverse("mlm_backoffice:mlm-backoffice-structure-export")
TREE = reverse("mlm_backoffice:mlm-backoffice-structure")


@pytest.fixture
def wide(net):
    """Anna's first line grows to 7 (Ben, Dora and five more), and Ben gets three customers."""
    anna, ben = net["anna"], net["ben"]
    extra = [DistributorFactory(parent=anna) for _i in range(3)]
    extra += [CustomerFactory(parent=anna) for _i in range(2)]
    extra += [CustomerFactory(parent=ben) for _i in range(3)]
    return net


def walk_pages(fetch):
    """Every page of a keyset list until there is no next key: (pages, rows)."""
    after, pages, rows = None, 0, []
    while True:
        nodes, after = fetch(after)
        pages += 1
        rows.extend(nodes)
        if after is None:
            return pages, rows


def test_the_downline_list_pages_by_key_without_gaps_or_repeats(wide):
    anna = wide["anna"]
    everyone = structure.downline_rows(anna, Filters())
    assert len(everyone) == 12
    with CaptureQueriesContext(connection) as queries:
        pages, rows = walk_pages(lambda after: structure.downline_page(anna, Filters(), after=after,
                                                                        limit=4))  # fmt: skip
    assert pages == 3
    assert [(n.pk, n.level) for n in rows] == everyone
    assert [n.level for n in rows] == sorted(n.level for n in rows)
    assert not [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"].upper()]


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(level=1), 7),
        (Filters(level=2), 4),  # Carla and Ben's three customers
        (Filters(level=3), 1),
        (Filters(kind="customer"), 7),
        (Filters(kind="distributor", level=1), 4),
        (Filters(status="inactive"), 1),
        (Filters(q="conrad"), 1),
        (Filters(q="ca con"), 1),  # every word must match
        (Filters(q="zander"), 0),  # Zoe: another leg
        (Filters(q="100%"), 0),  # LIKE wildcards are text
        (Filters(q="_"), 0),
    ],
)
def test_filters(wide, filters, expected):
    carla = wide["carla"]
    carla.status = "inactive"
    carla.save()
    pages, rows = walk_pages(
        lambda after: structure.downline_page(wide["anna"], filters, after=after, limit=2)
    )
    assert len(rows) == expected
    for node in rows:
        assert filters.level in (None, node.level)
        assert filters.kind in (None, node.member.kind)
        assert filters.status in (None, node.member.status)


def test_the_first_line_opens_page_by_page(wide, settings):
    settings.OSCAR_MLM_MEMBERS_PER_PAGE = 3
    anna = wide["anna"]
    anna.level = 0
    pages, rows = walk_pages(lambda after: structure.children(anna, anna, after=after))
    assert pages == 3 and len(rows) == 7 and {n.level for n in rows} == {1}
    assert [n.pk for n in rows] == sorted(n.pk for n in rows)
    ben = next(n for n in rows if n.member.pk == wide["ben"].pk)
    assert ben.first_line == 4


def test_the_list_page_links_the_next_page(client, wide, settings):
    settings.OSCAR_MLM_MEMBERS_PER_PAGE = 5
    client.force_login(wide["anna"].user)
    first = client.get(LIST, {"kind": "customer"})
    assert first.status_code == 200
    key = first.context["next_key"]
    assert isinstance(key, Key)
    html = first.content.decode()
    assert f"after={key}" in html and 'id="mlm-first-page"' not in html
    second = client.get(LIST, {"kind": "customer", "after": str(key)})
    seen = [n.pk for n in first.context["nodes"]] + [n.pk for n in second.context["nodes"]]
    assert len(seen) == len(set(seen)) == 7
    assert 'id="mlm-first-page"' in second.content.decode()


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_everyone_and_contact_data_of_the_first_line_only(client, wide):
    anna = wide["anna"]
    evil = person(CustomerFactory, wide["ben"], "=HYPERLINK(\"http://x\")", "@SUM(A1)")
    client.force_login(anna.user)
    rows = read_csv(client.get(EXPORT))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Level", "Member no.", "Name"] and "E-mail" in header
    assert len(body) == 13
    email = header.index("E-mail")
    by_pk = {int(r[1]): r for r in body}
    assert by_pk[wide["ben"].pk][email] == "ben@example.com"
    assert by_pk[wide["dora"].pk][email] == "dora@example.com"
    assert by_pk[wide["carla"].pk][email] == "" and by_pk[wide["emil"].pk][email] == ""
    assert by_pk[evil.pk][2].startswith("'=HYPERLINK")  # the formula guard
    filtered = read_csv(client.get(EXPORT, {"level": "3"}))
    assert [int(r[1]) for r in filtered[1:]] == [wide["emil"].pk]


@pytest.mark.parametrize("scope, visible", [("customers", {"dora"}), ("none", set())])
def test_the_setting_narrows_what_the_pages_and_exports_show(client, net, settings, scope,
                                                             visible):  # fmt: skip
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = scope
    client.force_login(net["anna"].user)
    pages = [
        client.get(TREE).content.decode(),
        client.get(LIST).content.decode(),
        b"".join(client.get(EXPORT).streaming_content).decode(),
        client.get(reverse("mlm_backoffice:mlm-backoffice-member",
                           kwargs={"pk": net["ben"].pk})).content.decode(),  # fmt: skip
        client.get(reverse("mlm_backoffice:mlm-backoffice-customer-list")).content.decode(),
    ]
    for name in ("ben", "dora"):
        shown = any(f"{name}@example.com" in page for page in pages)
        assert shown == (name in visible), name


def test_search_pages_and_shows_where_each_sits(client, wide, settings):
    settings.OSCAR_MLM_MEMBERS_PER_PAGE = 1
    for first in ("Greta", "Gregor"):
        person(CustomerFactory, wide["carla"], first, "Grau")
    client.force_login(wide["anna"].user)
    response = client.get(TREE, {"q": "grau"})
    assert len(response.context["results"]) == 1 and response.context["next_key"]
    more = client.get(TREE, {"q": "grau", "after": str(response.context["next_key"])})
    assert len(more.context["results"]) == 1
    assert more.context["results"][0].pk != response.context["results"][0].pk
    html = more.content.decode()
    assert f"?node={wide['carla'].pk}" in html  # "in the tree": Carla's first line
