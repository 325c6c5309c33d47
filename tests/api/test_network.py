"""Me and the structure: privacy rule, keyset pages, depth filter, upline, internal sign-up."""

import pytest
from django.core import mail
from oscar.core.loading import get_model

from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

pytestmark = pytest.mark.django_db

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")


def test_me_shows_the_public_part_of_the_sponsor(as_, network):
    data = as_("ben").get("/api/mlm/me/").json()
    assert data["kind"] == "distributor" and data["handle"] == "ben"
    assert data["sponsor"] == {
        "id": network.anna.pk, "name": network.anna.display_name, "kind": "distributor",
        "handle": "anna",
    }
    assert data["customer_link"] == "http://ben.localhost/"
    assert data["partner_link"] == "http://ben.localhost/join/"
    dora = as_("dora").get("/api/mlm/me/").json()
    assert dora["kind"] == "customer" and dora["customer_link"] is None


def test_contact_data_only_of_the_own_first_line(as_, network):
    rows = as_("anna").get("/api/mlm/structure/me/downline/").json()["results"]
    emails = {row["id"]: row["email"] for row in rows}
    assert emails[network.ben.pk] == network.ben.user.email  # first line, distributor
    assert emails[network.dora.pk] == network.dora.user.email  # own customer
    assert emails[network.carla.pk] is None  # level 2
    assert emails[network.emil.pk] is None  # Carla's customer, level 3
    # Looking at Carla's node does not reveal her customers' contact data to Anna.
    rows = as_("anna").get(f"/api/mlm/structure/{network.carla.pk}/first-line/").json()
    assert [(r["id"], r["email"], r["level"]) for r in rows["results"]] == [
        (network.emil.pk, None, 3)
    ]


def test_phone_and_address_follow_the_privacy_rule(as_, network, settings):
    Country = get_model("address", "Country")
    UserAddress = get_model("address", "UserAddress")
    Country.objects.create(iso_3166_1_a2="DE", name="Germany", printable_name="Germany")
    for member, street in ((network.dora, "Lindenweg 3"), (network.carla, "Birkenweg 9")):
        UserAddress.objects.create(
            user=member.user, first_name="X", last_name="Y", line1=street, line4="Bonn",
            postcode="53111", country_id="DE", phone_number="+49 228 123456",
            is_default_for_shipping=True,
        )
    client = as_("anna")

    def rows():
        data = client.get("/api/mlm/structure/me/downline/").json()["results"]
        return {row["id"]: row for row in data}

    dora, carla = rows()[network.dora.pk], rows()[network.carla.pk]
    assert "Lindenweg 3" in dora["address"] and dora["phone"] == "+49 228 123456"
    assert (carla["email"], carla["phone"], carla["address"]) == (None, None, None)
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = "customers"  # own customers only
    found = rows()
    assert found[network.dora.pk]["email"] and found[network.ben.pk]["email"] is None
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = "none"
    assert not [row for row in rows().values() if row["email"] or row["phone"]]
    me = client.get("/api/mlm/structure/me/").json()["member"]
    assert me["email"] == network.anna.user.email  # one's own address


def test_downline_pages_follow_each_other_without_gaps(as_, network):
    for _ in range(7):
        CustomerFactory(parent=network.ben)
    client = as_("anna")
    url, seen = "/api/mlm/structure/me/downline/?limit=3", []
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 3
        seen += [(row["level"], row["id"]) for row in page["results"]]
        url = page["next"]
    assert seen == sorted(seen)  # by level, then member number
    assert len(seen) == len(set(seen)) == 11


def test_depth_filters(as_, network):
    client = as_("anna")
    levels = lambda url: {row["level"] for row in client.get(url).json()["results"]}  # noqa: E731
    assert levels("/api/mlm/structure/me/downline/?max_depth=2") == {1, 2}
    assert levels("/api/mlm/structure/me/downline/?level=3") == {3}
    # Levels count from the viewer also below another member.
    assert levels(f"/api/mlm/structure/{network.ben.pk}/downline/?level=1") == {2}


@pytest.mark.parametrize(
    "query",
    ["max_depth=0", "max_depth=-1", "level=²", "level=abc", "max_depth=99999999999",
     "cursor=abc", "cursor=1-", "cursor=%00", "limit=0", "limit=x", "limit=²"],
)
def test_bad_page_parameters_answer_400(as_, network, query):
    response = as_("anna").get(f"/api/mlm/structure/me/downline/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"max_depth", "level", "cursor", "limit"}


def test_the_upline_stops_at_the_viewer(as_, network):
    path = as_("anna").get(f"/api/mlm/structure/{network.emil.pk}/upline/").json()
    assert [(m["id"], m["level"]) for m in path] == [
        (network.carla.pk, 1), (network.ben.pk, 2), (network.anna.pk, 3)
    ]
    own = as_("ben").get("/api/mlm/structure/me/upline/").json()
    assert [m["id"] for m in own] == [network.anna.pk, network.company.pk]


def test_counts_per_level(as_, network):
    data = as_("anna").get("/api/mlm/structure/me/").json()
    assert data["levels"] == [{"level": 1, "count": 2}, {"level": 2, "count": 1},
                              {"level": 3, "count": 1}]
    assert (data["first_line"], data["downline"]) == (2, 4)
    assert as_("anna").get("/api/mlm/structure/me/levels/").json() == data["levels"]


def test_internal_sign_up_lands_in_the_first_line(
    as_, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_("ben").post(
            "/api/mlm/structure/me/first-line/",
            {"email": "nina@example.com", "first_name": "Nina", "kind": "customer"},
            format="json",
        )
    assert response.status_code == 201, response.content
    nina = Member.objects.get(user__email="nina@example.com")
    assert nina.parent == network.ben and nina.kind == "customer"
    assert SponsorChange.objects.get(member=nina).source == SponsorChange.INTERNAL
    assert len(mail.outbox) == 1  # the set-password e-mail
    assert response.json()["email"] == "nina@example.com"  # own first line


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "x@example.com", "kind": "company"}, "kind"),
        ({"email": "x@example.com", "kind": "customer", "handle": "shop"}, "handle"),
        ({"email": "x@example.com\x00"}, "email"),
    ],
)
def test_internal_sign_up_refuses_bad_input(as_, network, body, field):
    before = Member.objects.count()
    response = as_("ben").post("/api/mlm/structure/me/first-line/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Member.objects.count() == before


def test_internal_sign_up_with_a_taken_address(as_, network):
    response = as_("ben").post(
        "/api/mlm/structure/me/first-line/", {"email": network.dora.user.email}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["A user with that email address already exists"]}


def test_internal_sign_up_only_into_the_own_first_line(as_, network, settings):
    url = f"/api/mlm/structure/{network.carla.pk}/first-line/"
    assert as_("ben").post(url, {"email": "x@example.com"}, format="json").status_code == 403
    settings.OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ()
    response = as_("ben").post(
        "/api/mlm/structure/me/first-line/", {"email": "x@example.com"}, format="json"
    )
    assert response.status_code == 403
    inactive = DistributorFactory(parent=network.company, status="inactive")
    from .conftest import api

    response = api(inactive.user).post(
        "/api/mlm/structure/me/first-line/", {"email": "y@example.com"}, format="json"
    )
    assert response.status_code == 403
