"""Who reaches the back office: a sweep over every URL of the ``mlm_backoffice`` namespace.

* distributor A asking for distributor B's members, customers and follow-ups by id
  (and for members of A's own downline that are not A's own customers, on the
  customer pages): 404, every time, and nothing changes;
* an anonymous visitor: the login page;
* a customer, or a user outside the network: a page that says what the back office is
  (403), never a 500.

A new URL of the namespace fails this test until the sweep knows its ids.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_backoffice import services
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db

FollowUp = get_model("mlm_backoffice", "FollowUp")
CustomerNote = get_model("mlm_backoffice", "CustomerNote")
CustomerTag = get_model("mlm_backoffice", "CustomerTag")

# URL name: (what its pk is, HTTP method, query parameters that take an id)
SWEEP = {
    "mlm-backoffice-overview": (None, "get", []),
    "mlm-backoffice-structure": (None, "get", ["node"]),
    "mlm-backoffice-node": ("member", "get", []),
    "mlm-backoffice-structure-list": (None, "get", []),
    "mlm-backoffice-structure-export": (None, "get", []),
    "mlm-backoffice-member": ("member", "get", []),
    "mlm-backoffice-customer-list": (None, "get", []),
    "mlm-backoffice-customer-export": (None, "get", []),
    "mlm-backoffice-customer": ("customer", "get", []),
    "mlm-backoffice-note-create": ("customer", "post", []),
    "mlm-backoffice-followup-create": ("customer", "post", []),
    "mlm-backoffice-customer-tags": ("customer", "post", []),
    "mlm-backoffice-followup-list": (None, "get", []),
    "mlm-backoffice-followup-done": ("follow-up", "post", []),
}
POST_DATA = {
    "mlm-backoffice-note-create": {"channel": "call", "contacted": "2024-01-02", "text": "x"},
    "mlm-backoffice-followup-create": {"due": "2030-01-01", "text": "x"},
    "mlm-backoffice-customer-tags": {"tags": "x"},
    "mlm-backoffice-followup-done": {},
}


def namespace_urls():
    (resolver,) = [
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "mlm_backoffice"
    ]
    return sorted(p.name for p in resolver.url_patterns if isinstance(p, URLPattern))


def test_the_sweep_knows_every_url_of_the_back_office():
    assert namespace_urls() == sorted(SWEEP)


@pytest.fixture
def foreign(net):
    """Ids Anna must never reach: another leg's, the company's, her upline's ... and, for
    the customer pages, members of her downline that are not her own customers."""
    zoe, yara = net["zoe"], net["yara"]
    follow_up = services.add_follow_up(
        distributor=zoe, customer=yara, due=timezone.localdate() + dt.timedelta(days=3), text="Call"
    )
    services.add_note(distributor=zoe, customer=yara, channel="call", text="Likes roses")
    services.set_tags(distributor=zoe, customer=yara, tags="vip")
    # Anna's own follow-up of a customer who has moved on to Zoe since.
    moved = services.add_follow_up(
        distributor=net["anna"], customer=net["dora"],
        due=timezone.localdate() + dt.timedelta(days=3), text="Mine",
    )  # fmt: skip
    return {
        "member": [zoe.pk, yara.pk, net["company"].pk, 999_999],
        "customer": [yara.pk, zoe.pk, net["emil"].pk, net["ben"].pk, net["anna"].pk, 999_999],
        "follow-up": [follow_up.pk, 999_999],
        "anna_follow_up": moved,
    }


def snapshot():
    return (
        list(FollowUp.objects.values_list("pk", "done").order_by("pk")),
        CustomerNote.objects.count(),
        list(CustomerTag.objects.values_list("pk", "name").order_by("pk")),
        list(CustomerTag.customers.through.objects.values_list("pk").order_by("pk")),
    )


def requests_for(name, ids):
    kind, method, params = SWEEP[name]
    if kind is not None:
        for pk in ids[kind]:
            yield method, reverse(f"mlm_backoffice:{name}", kwargs={"pk": pk}), {}
    for param in params:
        for pk in ids["member"]:
            yield method, reverse(f"mlm_backoffice:{name}"), {param: pk}


def test_a_distributor_gets_404_for_everyone_elses_ids(client, net, foreign):
    client.force_login(net["anna"].user)
    before = snapshot()
    answers = []
    for name in SWEEP:
        for method, path, params in requests_for(name, foreign):
            if method == "post":
                response = client.post(path + _query(params), POST_DATA[name])
            else:
                response = client.get(path, params)
            answers.append((name, path, params, response.status_code))
    assert answers, "the sweep made no request"
    assert [a for a in answers if a[3] != 404] == []
    assert snapshot() == before


def test_a_customer_who_moved_away_takes_their_card_with_them(client, net, foreign):
    from oscar_mlm.apps.mlm_network import services as network

    dora = net["dora"]
    network.assign_sponsor(member=dora, new_sponsor=net["zoe"], reason="moved")
    client.force_login(net["anna"].user)
    assert client.get(reverse("mlm_backoffice:mlm-backoffice-customer",
                              kwargs={"pk": dora.pk})).status_code == 404  # fmt: skip
    assert client.get(reverse("mlm_backoffice:mlm-backoffice-member",
                              kwargs={"pk": dora.pk})).status_code == 404  # fmt: skip
    due = client.get(reverse("mlm_backoffice:mlm-backoffice-followup-list")).content.decode()
    assert "Mine" not in due


def _query(params):
    return "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""


def all_requests(net):
    """Every URL of the namespace with a valid id of Anna's own (for the other roles)."""
    own = {
        "member": [net["dora"].pk],
        "customer": [net["dora"].pk],
        "follow-up": [999_999],
    }
    for name in SWEEP:
        kind, method, params = SWEEP[name]
        if kind is None:
            yield name, method, reverse(f"mlm_backoffice:{name}")
        else:
            yield name, method, reverse(f"mlm_backoffice:{name}", kwargs={"pk": own[kind][0]})


def test_anonymous_visitors_go_to_the_login(client, net):
    for name, method, path in all_requests(net):
        response = getattr(client, method)(path, POST_DATA.get(name, {}))
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("customer:login")), path


@pytest.mark.parametrize("who", ["customer", "outsider", "other_customer"])
def test_customers_and_outsiders_get_a_clear_page(client, net, who):
    user = {
        "customer": net["dora"].user,
        "other_customer": net["yara"].user,
        "outsider": UserFactory(),
    }[who]
    client.force_login(user)
    before = snapshot()
    for name, method, path in all_requests(net):
        response = getattr(client, method)(path, POST_DATA.get(name, {}))
        assert response.status_code == 403, path
        html = response.content.decode()
        assert 'id="mlm-backoffice-refused"' in html, path
        assert "back office of our sales partners" in html
    assert snapshot() == before


def test_the_refusal_page_says_where_a_customer_finds_their_things(client, net):
    client.force_login(net["dora"].user)
    html = client.get(reverse("mlm_backoffice:mlm-backoffice-overview")).content.decode()
    assert "Your account is a customer account" in html
    client.force_login(UserFactory())
    html = client.get(reverse("mlm_backoffice:mlm-backoffice-overview")).content.decode()
    assert "not part of the network" in html
