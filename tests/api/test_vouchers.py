"""A distributor's codes through the API, and redeeming codes through oscarapi's basket."""

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_vouchers import services as vouchers

from .helpers import checkout, fill_basket, product

pytestmark = pytest.mark.django_db

DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")
Redemption = get_model("mlm_vouchers", "Redemption")
SponsorChange = get_model("mlm_network", "SponsorChange")


@pytest.fixture
def program(db):
    return vouchers.create_program(name="Welcome", max_active_codes=2)


def test_generate_list_deactivate(as_, network, program):
    client = as_("anna")
    made = client.post("/api/mlm/vouchers/")
    assert made.status_code == 201, made.content
    code = made.json()
    assert code["status"] == "active" and code["uses_left"] == 1
    assert code["code"].startswith("ANNA-")
    listed = client.get("/api/mlm/vouchers/").json()
    assert [c["id"] for c in listed["results"]] == [code["id"]]
    off = client.post(f"/api/mlm/vouchers/{code['id']}/deactivate/")
    assert off.status_code == 200 and off.json()["status"] == "deactivated"


def test_generation_stops_at_the_programmes_limit(as_, network, program):
    client = as_("anna")
    assert client.post("/api/mlm/vouchers/").status_code == 201
    assert client.post("/api/mlm/vouchers/").status_code == 201
    refused = client.post("/api/mlm/vouchers/")
    assert refused.status_code == 400
    assert refused.json() == {
        "non_field_errors": ["You already hold the maximum number of active voucher codes."]
    }
    assert DistributorVoucher.objects.count() == 2


def test_generation_is_rate_limited(as_, network, settings):
    vouchers.create_program(name="Many", max_active_codes=50)
    settings.OSCAR_MLM_API_VOUCHER_GENERATE_RATE = "3/hour"
    client = as_("anna")
    statuses = [client.post("/api/mlm/vouchers/").status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert DistributorVoucher.objects.count() == 3
    assert as_("otto").post("/api/mlm/vouchers/").status_code == 201  # per distributor


def test_no_programme(as_, network):
    response = as_("anna").post("/api/mlm/vouchers/")
    assert response.status_code == 400
    assert "programme" in response.json()["non_field_errors"][0]


def redeem(client, code):
    return client.post("/api/basket/add-voucher/", {"vouchercode": code}, format="json")


def test_redeeming_a_partners_code_moves_the_buyer_at_placement(as_, network, program):
    dv = vouchers.issue_voucher(member=network.otto)
    client = as_("dora")  # Anna's customer, no order yet
    basket = fill_basket(client, product("20.00"))
    typed = dv.code.lower().replace("-", " ")  # forgiving input, as on the web
    response = redeem(client, typed)
    assert response.status_code == 200, response.content
    assert response.json()["code"] == dv.code
    placed = checkout(client, basket, credit="none")
    assert placed.status_code == 200, placed.content
    network.dora.refresh_from_db()
    assert network.dora.parent == network.otto
    redemption = Redemption.objects.get()
    assert redemption.moved and redemption.order.number == placed.json()["number"]
    change = SponsorChange.objects.get(member=network.dora, source=SponsorChange.VOUCHER)
    assert dv.code in change.reason
    # Otto sees the use, with the buyer's first name only.
    uses = as_("otto").get(f"/api/mlm/vouchers/{dv.pk}/redemptions/").json()["results"]
    assert [u["buyer"] for u in uses] == [network.dora.user.first_name]


def test_refusals_are_the_webs_plain_reasons_with_406(as_, network, program):
    downline_code = vouchers.issue_voucher(member=network.ben)
    client = as_("anna")  # Ben is in Anna's downline
    fill_basket(client, product())
    response = redeem(client, downline_code.code)
    assert response.status_code == 406
    assert response.json() == {
        "non_field_errors": [
            "You cannot use your own voucher, nor one from a partner in your own downline."
        ]
    }
    unknown = redeem(client, "NOPE-NOPE")
    assert unknown.status_code == 406
    assert unknown.json() == {"non_field_errors": ["This voucher code is not valid."]}


@pytest.mark.parametrize("code", ["", "\x00", "²²²²", "x" * 200])
def test_odd_codes_are_refused(as_, network, program, code):
    client = as_("dora")
    fill_basket(client, product())
    assert redeem(client, code).status_code == 406


def test_failed_codes_are_throttled_as_on_the_web(as_, network, program, settings):
    settings.OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS = 3
    dv = vouchers.issue_voucher(member=network.otto)
    client = as_("dora")
    fill_basket(client, product())
    assert [redeem(client, f"WRONG-{n}").status_code for n in range(3)] == [406, 406, 406]
    blocked = redeem(client, dv.code)  # even a good code, while the throttle holds
    assert blocked.status_code == 429
    assert "Too many invalid voucher codes" in blocked.json()["detail"]


def test_redemption_attempts_are_rate_limited(as_, network, program, settings):
    settings.OSCAR_MLM_API_VOUCHER_REDEEM_RATE = "2/minute"
    settings.OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS = 100
    client = as_("dora")
    fill_basket(client, product())
    assert [redeem(client, "WRONG").status_code for _ in range(3)] == [406, 406, 429]
