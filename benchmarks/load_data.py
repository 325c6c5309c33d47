"""The data of ``benchmarks/load.py``, on top of the demo data of ``bash dev.sh prod``.

Run with the stack's settings (``manage.py shell``); prints one JSON object. Everything goes
through the package's services except two set-based shortcuts: one password hash for the
chosen logins (hashing is what makes a login slow, so each login in the test still pays
it), and the programme's limits raised for the test.

* storefronts: the handles of the demo network's distributors (the ones visitors arrive on);
* distributors: logins of distributors (generate codes, open their pages);
* credit customers: customers with 100.00 of credit (checkout with credit);
* plain customers: customers without credit (checkout without);
* codes: one new-customer code per storefront owner, single use;
* orphans: spends of 1.00 whose order never came (the task killed under load gives them back).
"""

import json
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_vouchers import services as vouchers

PASSWORD = "load-test-pass-1"
Member = get_model("mlm_network", "Member")
Product = get_model("catalogue", "Product")
VoucherProgram = get_model("mlm_vouchers", "VoucherProgram")
User = get_user_model()


def seed(
    *,
    storefronts=200,
    distributors=60,
    credit_customers=120,
    plain_customers=120,
    orphans=300,
    seed=7,
):
    rng = random.Random(seed)
    owners = list(
        Member.objects.filter(kind=Member.DISTRIBUTOR, status=Member.ACTIVE)
        .exclude(handle=None)
        .order_by("pk")
        .values_list("pk", "handle", "user__email", "user_id")
    )
    rng.shuffle(owners)
    owners = owners[:storefronts]
    customers = list(
        Member.objects.filter(kind=Member.CUSTOMER, status=Member.ACTIVE)
        .order_by("pk")
        .values_list("user_id", "user__email")
    )
    rng.shuffle(customers)
    with_credit = customers[:credit_customers]
    without = customers[credit_customers : credit_customers + plain_customers]
    logins = [o[3] for o in owners[:distributors]]
    hashed = make_password(PASSWORD)
    User.objects.filter(pk__in=logins).update(password=hashed)
    User.objects.filter(pk__in=[c[0] for c in with_credit + without]).update(password=hashed)

    VoucherProgram.objects.update(max_active_codes=100000, validity_days=30, uses_per_code=1)
    codes = []
    for pk, _handle, _email, _user in owners:
        codes.append(vouchers.issue_voucher(member=Member.objects.get(pk=pk)).voucher.code)

    for user_id, _email in with_credit:
        user = User.objects.get(pk=user_id)
        credit.adjust(
            account=credit.open_account(user, "EUR"),
            amount="100.00",
            currency="EUR",
            reason="Load test",
            created_by=None,
            key=f"load:credit:{user_id}",
        )
    orphan_users = with_credit[-10:]
    for i in range(orphans):
        user = User.objects.get(pk=orphan_users[i % len(orphan_users)][0])
        credit.spend_for_order(
            user=user, currency="EUR", order_number=f"LOAD-ORPHAN-{i}", up_to=Decimal("0.10")
        )
    # Their process died two hours ago: past the grace period of checkouts in flight
    # (OSCAR_MLM_CREDIT_ORPHAN_MINUTES), so the dashboard's orphan run gives them back.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE mlm_credit_creditentry SET created = created - interval '2 hours' "
            "WHERE order_number LIKE 'LOAD-ORPHAN-%%' AND kind = 'spent'"
        )
    products = list(
        Product.objects.filter(is_public=True, structure__in=["standalone", "child"])
        .filter(stockrecords__num_in_stock__gt=0)
        .values_list("pk", flat=True)
        .distinct()
    )
    return {
        "password": PASSWORD,
        "storefronts": [o[1] for o in owners],
        "distributors": [o[2] for o in owners[:distributors]],
        "credit_customers": [c[1] for c in with_credit[:-10]],
        "plain_customers": [c[1] for c in without],
        "codes": codes,
        "orphans": orphans,
        "products": products,
    }


def main(**options):
    print("LOAD-DATA " + json.dumps(seed(**options)))
