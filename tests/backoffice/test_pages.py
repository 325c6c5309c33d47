"""The back office's pages for a distributor: what they show, and to whom."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import place_order

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"mlm_backoffice:{name}", kwargs=kwargs or None)


def test_overview_shows_live_volumes(net, login):
    client = login(net["anna"])
    html = client.get(url("mlm-backoffice-overview")).content.decode()
    assert 'id="mlm-backoffice-overview"' in html
    place_order(net["dora"].user, "25.00")  # Anna's customer: Anna's own volume
    place_order(net["carla"].user, "40.00")  # level 2 distributor: Anna's group volume
    response = client.get(url("mlm-backoffice-overview"))
    assert response.status_code == 200
    html = response.content.decode()
    own = re.search(r'id="mlm-figure-own"><th scope="row">[^<]*</th><td[^>]*>([^<]*)<', html)
    group = re.search(r'id="mlm-figure-group"><th scope="row">.*?</th><td[^>]*>([^<]*)<', html)
    assert own.group(1) == "25.00"
    assert group.group(1) == "40.00"
    assert 'id="mlm-chart-volume"' in html and "<svg" in html


def test_structure_shows_the_first_line_and_a_node_opens(net, login):
    client = login(net["anna"])
    html = client.get(url("mlm-backoffice-structure")).content.decode()
    assert "Ben Brandt" in html and "Dora Decker" in html
    assert "Carla Conrad" not in html  # level 2: loaded when Ben's node opens
    assert f'aria-controls="mlm-children-{net["ben"].pk}"' in html
    assert "ben@example.com" in html  # own first line: contact data
    fragment = client.get(url("mlm-backoffice-node", pk=net["ben"].pk)).content.decode()
    assert "Carla Conrad" in fragment and "level 2" in fragment
    assert "carla@example.com" not in fragment  # deeper: no contact data
    deeper = client.get(url("mlm-backoffice-node", pk=net["carla"].pk)).content.decode()
    assert "Emil Engel" in deeper and "emil@example.com" not in deeper


def test_search_finds_only_the_own_downline(net, login):
    client = login(net["anna"])
    html = client.get(url("mlm-backoffice-structure"), {"q": "engel"}).content.decode()
    assert "Emil Engel" in html
    html = client.get(url("mlm-backoffice-structure"), {"q": "Yilmaz"}).content.decode()
    assert 'id="mlm-search-none"' in html and "Yara" not in html


def test_customer_card_note_and_follow_up(net, login):
    client = login(net["anna"])
    dora = net["dora"]
    place_order(dora.user, "12.50", quantity=2)
    card = url("mlm-backoffice-customer", pk=dora.pk)
    html = client.get(card).content.decode()
    assert "dora@example.com" in html and "1 order" in html
    response = client.post(
        url("mlm-backoffice-note-create", pk=dora.pk),
        {"channel": "call", "contacted": "2024-05-02", "text": "Asked about the night cream."},
    )
    assert response.status_code == 302 and response["Location"] == card
    response = client.post(
        url("mlm-backoffice-followup-create", pk=dora.pk),
        {"due": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "text": "Send samples"},
    )
    assert response.status_code == 302
    html = client.get(card).content.decode()
    assert "Asked about the night cream." in html and "Send samples" in html
    assert "25.00" in html  # two units of 12.50


def test_the_customer_export_has_own_customers_with_orders_and_tags(net, login):
    import csv
    import io

    from oscar_mlm.apps.mlm_backoffice import services
    from oscar_mlm.test.factories import CustomerFactory

    anna, dora = net["anna"], net["dora"]
    evil = CustomerFactory(parent=anna, user__first_name="=cmd|' /C calc'!A0", user__last_name="X")
    place_order(dora.user, "12.50", quantity=2)
    services.set_tags(distributor=anna, customer=dora, tags="vip, skin care")
    client = login(anna)
    response = client.get(url("mlm-backoffice-customer-export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], {int(r[0]): r for r in rows[1:]}
    assert set(body) == {dora.pk, evil.pk}  # Emil is Carla's, Yara is Zoe's
    row = dict(zip(header, body[dora.pk], strict=True))
    assert row["E-mail"] == "dora@example.com" and row["Orders"] == "1"
    assert row["Totals"] == "25.00 EUR"
    assert row["Tags"] == "skin care, vip"
    assert body[evil.pk][1].startswith("'=cmd")  # the formula guard
    vip = client.get(url("mlm-backoffice-customer-list")).context["form"].tags
    tag = next(pk for pk, t in vip.items() if t.name == "vip")
    only_vip = client.get(url("mlm-backoffice-customer-export"), {"tag": tag})
    lines = b"".join(only_vip.streaming_content).decode().splitlines()
    assert len(lines) == 2 and "Decker" in lines[1]


@pytest.mark.parametrize(
    "data, error",
    [
        ({"channel": "fax", "contacted": "2024-01-02", "text": "x"}, "channel"),
        ({"channel": "call", "contacted": "²", "text": "x"}, "contacted"),
        ({"channel": "call", "contacted": "2024-01-02", "text": "a\x00b"}, "text"),
        ({"channel": "call", "contacted": "2999-01-01", "text": "x"}, "__all__"),  # the service
        ({"channel": "call", "contacted": "2024-01-02", "text": "   "}, "text"),
    ],
)
def test_a_bad_note_is_answered_with_a_message_and_nothing_saved(net, login, data, error):
    from django.utils.html import escape
    from oscar.core.loading import get_model

    CustomerNote = get_model("mlm_backoffice", "CustomerNote")
    client = login(net["anna"])
    response = client.post(url("mlm-backoffice-note-create", pk=net["dora"].pk), data)
    assert response.status_code == 400
    form = response.context["note_form"]
    assert list(form.errors) == [error]
    html = response.content.decode()
    assert all(escape(message) in html for message in form.errors[error])
    assert CustomerNote.objects.count() == 0


def test_a_bad_filter_of_the_list_is_a_message(net, login):
    client = login(net["anna"])
    for params in ({"level": "²"}, {"level": "-1"}, {"kind": "company"}, {"q": "a\x00"}):
        response = client.get(url("mlm-backoffice-structure-list"), params)
        assert response.status_code == 400, params
        assert response.context["form"].errors, params
