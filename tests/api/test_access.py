"""Who may call what: anonymous, customer, distributor, another distributor, staff.

Every endpoint once per role, with the answer it must give; ids of members,
codes and periods that are not the caller's answer 404 as if they did not exist.
"""

import pytest
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_commissions import services as commissions
from oscar_mlm.apps.mlm_vouchers import services as vouchers

pytestmark = pytest.mark.django_db

DistributorVoucher = get_model("mlm_vouchers", "DistributorVoucher")

ROLES = ("anonymous", "customer", "distributor", "other", "staff")
# role -> the client's user in the network fixture
WHO = {
    "anonymous": None,
    "customer": "dora",
    "distributor": "anna",
    "other": "otto",
    "staff": "staff",
}

STAFF_WRITE = {"anonymous": 401, "customer": 403, "distributor": 403, "other": 403,
               "staff": 400}

# (method, url, {role: status}); {ben} is a member of Anna's downline, {code} Anna's code.
MATRIX = [
    ("get", "/api/mlm/me/", {"anonymous": 401, "customer": 200, "distributor": 200,
                             "other": 200, "staff": 403}),
    ("get", "/api/mlm/structure/me/", {"anonymous": 401, "customer": 403, "distributor": 200,
                                       "other": 200, "staff": 403}),
    ("get", "/api/mlm/structure/{ben}/", {"anonymous": 401, "customer": 403,
                                          "distributor": 200, "other": 404, "staff": 403}),
    ("get", "/api/mlm/structure/{ben}/first-line/", {"anonymous": 401, "customer": 403,
                                                     "distributor": 200, "other": 404,
                                                     "staff": 403}),
    ("get", "/api/mlm/structure/{ben}/downline/", {"anonymous": 401, "customer": 403,
                                                   "distributor": 200, "other": 404,
                                                   "staff": 403}),
    ("get", "/api/mlm/structure/{ben}/upline/", {"anonymous": 401, "customer": 403,
                                                 "distributor": 200, "other": 404, "staff": 403}),
    ("get", "/api/mlm/structure/{ben}/levels/", {"anonymous": 401, "customer": 403,
                                                 "distributor": 200, "other": 404, "staff": 403}),
    ("get", "/api/mlm/me/storefront/", {"anonymous": 401, "customer": 403, "distributor": 200,
                                        "other": 200, "staff": 403}),
    ("get", "/api/mlm/storefronts/anna/", {r: 200 for r in ROLES}),
    ("get", "/api/mlm/vouchers/", {"anonymous": 401, "customer": 403, "distributor": 200,
                                   "other": 200, "staff": 403}),
    ("get", "/api/mlm/vouchers/{code}/", {"anonymous": 401, "customer": 403,
                                          "distributor": 200, "other": 404, "staff": 403}),
    ("get", "/api/mlm/vouchers/{code}/redemptions/", {"anonymous": 401, "customer": 403,
                                                      "distributor": 200, "other": 404,
                                                      "staff": 403}),
    ("post", "/api/mlm/vouchers/{code}/deactivate/", {"anonymous": 401, "customer": 403,
                                                      "distributor": 200, "other": 404,
                                                      "staff": 403}),
    ("get", "/api/mlm/vouchers/redemptions/", {"anonymous": 401, "customer": 403,
                                               "distributor": 200, "other": 200, "staff": 403}),
    ("get", "/api/mlm/credit/", {"anonymous": 401, "customer": 200, "distributor": 200,
                                 "other": 200, "staff": 200}),
    ("get", "/api/mlm/credit/ledger/", {"anonymous": 401, "customer": 200, "distributor": 200,
                                        "other": 200, "staff": 200}),
    ("get", "/api/mlm/commissions/volumes/", {"anonymous": 401, "customer": 403,
                                              "distributor": 200, "other": 200, "staff": 403}),
    ("get", "/api/mlm/commissions/statements/", {"anonymous": 401, "customer": 403,
                                                 "distributor": 200, "other": 200,
                                                 "staff": 403}),
    ("get", "/api/mlm/staff/members/{ben}/", {"anonymous": 401, "customer": 403,
                                              "distributor": 403, "other": 403, "staff": 200}),
    ("get", "/api/mlm/staff/periods/", {"anonymous": 401, "customer": 403, "distributor": 403,
                                        "other": 403, "staff": 200}),
    ("get", "/api/mlm/schema/", {r: 200 for r in ROLES}),
    # Writes, sent with an empty JSON body: who passes the permission check gets the
    # refusal of the missing fields (400), or the change where nothing is required.
    ("post", "/api/mlm/signup/", {r: 400 for r in ROLES}),  # anonymous by design
    ("post", "/api/mlm/structure/me/first-line/", {"anonymous": 401, "customer": 403,
                                                   "distributor": 400, "other": 400,
                                                   "staff": 403}),
    ("patch", "/api/mlm/me/storefront/", {"anonymous": 401, "customer": 403,
                                          "distributor": 200, "other": 200, "staff": 403}),
    ("post", "/api/mlm/vouchers/", {"anonymous": 401, "customer": 403, "distributor": 201,
                                    "other": 201, "staff": 403}),
    # Statements of a month without a run: nobody's, so 404 for every distributor.
    ("get", "/api/mlm/commissions/statements/2020-01/", {"anonymous": 401, "customer": 403,
                                                         "distributor": 404, "other": 404,
                                                         "staff": 403}),
    ("get", "/api/mlm/commissions/statements/2020-01/lines/", {"anonymous": 401,
                                                               "customer": 403,
                                                               "distributor": 404,
                                                               "other": 404, "staff": 403}),
    ("get", "/api/mlm/commissions/statements/2020-01/statement.csv", {
        "anonymous": 401, "customer": 403, "distributor": 404, "other": 404, "staff": 403}),
    ("get", "/api/mlm/commissions/statements/2020-01/statement.pdf", {
        "anonymous": 401, "customer": 403, "distributor": 404, "other": 404, "staff": 403}),
    ("get", "/api/mlm/commissions/tax-details/", {"anonymous": 401, "customer": 403,
                                                  "distributor": 200, "other": 200,
                                                  "staff": 403}),
    ("put", "/api/mlm/commissions/tax-details/", {"anonymous": 401, "customer": 403,
                                                  "distributor": 400, "other": 400,
                                                  "staff": 403}),
    ("patch", "/api/mlm/commissions/tax-details/", {"anonymous": 401, "customer": 403,
                                                    "distributor": 400, "other": 400,
                                                    "staff": 403}),
    ("post", "/api/mlm/staff/members/", STAFF_WRITE),
    ("post", "/api/mlm/staff/members/{ben}/reassign/", STAFF_WRITE),
    ("post", "/api/mlm/staff/members/{ben}/promote/", STAFF_WRITE),
    ("post", "/api/mlm/staff/members/{ben}/deactivate/", STAFF_WRITE),
    ("post", "/api/mlm/staff/members/{ben}/reactivate/", STAFF_WRITE),
    ("post", "/api/mlm/staff/members/{ben}/credit/", STAFF_WRITE),
    ("get", "/api/mlm/staff/periods/2020-01/", {**STAFF_WRITE, "staff": 200}),
    ("post", "/api/mlm/staff/periods/2020-01/run/", {**STAFF_WRITE, "staff": 202}),
    ("post", "/api/mlm/staff/periods/2020-01/close/", {**STAFF_WRITE, "staff": 202}),
    ("get", "/api/mlm/staff/tasks/{task}/", {**STAFF_WRITE, "staff": 200}),
    ("get", "/api/mlm/staff/tasks/no-such-task/", {**STAFF_WRITE, "staff": 404}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), MATRIX, ids=[m[1] for m in MATRIX])
def test_access(as_, network, company, role, method, url, expected):
    vouchers.create_program(name="Welcome")
    code = vouchers.issue_voucher(member=network.anna)
    period = commissions.month_period("2020-01")  # ended, the only one: may be closed
    task = commissions.queue_run(period, preview=True)
    url = url.format(ben=network.ben.pk, code=code.pk, task=task.id)
    response = getattr(as_(WHO[role]), method)(url, {}, format="json")
    assert response.status_code == expected[role], (role, url, response.content[:300])


def test_anonymous_gets_a_login_challenge(as_, network):
    response = as_(None).get("/api/mlm/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("value", ["0", "-1", "²", "١٢", "1e3", "abc", "9" * 30, "%00"])
def test_odd_member_ids_answer_404(as_, network, value):
    for url in ("/api/mlm/structure/{}/", "/api/mlm/structure/{}/downline/"):
        assert as_("anna").get(url.format(value)).status_code == 404
    assert as_("staff").get(f"/api/mlm/staff/members/{value}/").status_code == 404
    assert as_("anna").get(f"/api/mlm/vouchers/{value}/").status_code == 404


def test_the_company_is_nobodys_member_page(as_, network):
    assert as_("anna").get(f"/api/mlm/structure/{network.company.pk}/").status_code == 404
    assert as_("staff").get(f"/api/mlm/staff/members/{network.company.pk}/").status_code == 404


def test_an_upline_member_is_not_in_the_downline(as_, network):
    assert as_("ben").get(f"/api/mlm/structure/{network.anna.pk}/").status_code == 404
    assert as_("carla").get(f"/api/mlm/structure/{network.carla.pk}/").status_code == 200
