"""Hypothesis: earn / release / spend / refund / cancel / expire / adjust in random order."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from oscar_mlm.apps.mlm_credit import services
from oscar_mlm.apps.mlm_credit.exceptions import CreditError
from oscar_mlm.money import quantize
from oscar_mlm.test.factories import UserFactory

from .conftest import place_order, product_with_credit

pytestmark = pytest.mark.django_db

money = st.decimals(min_value=D("0.01"), max_value=D("40.00"), places=2)


def test_credit_books_keep_every_invariant(settings_fixture=None):
    products = [
        product_with_credit("10.00", value="1.50"),
        product_with_credit("7.35", value="12.5", type="percentage"),
        product_with_credit("3.00"),
    ]

    class CreditMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.user = UserFactory()
            self.account = services.open_account(self.user, "EUR")
            self.orders = []
            self.spends = 0
            self.clock = timezone.now()

        @rule(amount=money, direction=st.sampled_from(["credit", "debit"]))
        def adjust(self, amount, direction):
            try:
                services.adjust(
                    account=self.account,
                    amount=amount,
                    currency="EUR",
                    reason="prop",
                    created_by=None,
                    direction=direction,
                )
            except CreditError:
                pass

        @rule(which=st.integers(0, 2), quantity=st.integers(1, 3))
        def earn(self, which, quantity):
            self.orders.append(place_order(self.user, (products[which], quantity)))

        @precondition(lambda self: self.orders)
        @rule(index=st.integers(0, 50))
        def release(self, index):
            services.release_for_order(self.orders[index % len(self.orders)])

        @rule(amount=money)
        def spend(self, amount):
            self.spends += 1
            try:
                services.spend_for_order(
                    user=self.user,
                    currency="EUR",
                    order_number=f"{self.user.pk}-{self.spends}",
                    up_to=amount,
                )
            except CreditError:
                pass

        @precondition(lambda self: self.orders)
        @rule(index=st.integers(0, 50), quantity=st.integers(1, 3), key=st.integers(0, 3))
        def refund(self, index, quantity, key):
            order = self.orders[index % len(self.orders)]
            line = order.lines.first()
            services.refund_lines(order, {line: quantity}, key=f"{order.number}-{key}")

        @precondition(lambda self: self.orders)
        @rule(index=st.integers(0, 50))
        def cancel(self, index):
            services.cancel_order(self.orders[index % len(self.orders)])

        @rule(days=st.integers(1, 400))
        def expire(self, days):
            self.clock += timedelta(days=days)
            services.expire_account(self.account, now=self.clock)

        @invariant()
        def books_balance(self):
            if not hasattr(self, "account"):
                return
            self.account.refresh_from_db()
            sums = self.account.entries.aggregate(a=Sum("amount"), p=Sum("pending_amount"))
            # quantize: SQLite sums decimals as floats (PostgreSQL is exact)
            assert self.account.balance == quantize(sums["a"] or 0)
            assert self.account.pending == quantize(sums["p"] or 0)
            assert self.account.balance >= 0 and self.account.pending >= 0
            last = self.account.entries.order_by("-id").first()
            if last is not None:
                assert (last.balance_after, last.pending_after) == (
                    self.account.balance,
                    self.account.pending,
                )

    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings as django_settings

        mp.setattr(django_settings, "OSCAR_MLM_CREDIT_EXPIRY_MONTHS", 6, raising=False)
        run_state_machine_as_test(
            CreditMachine,
            settings=settings(
                max_examples=int(__import__("os").environ.get("MLM_CREDIT_EXAMPLES", "200")),
                stateful_step_count=10,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    assert services.check_books() == []
