from django.core.checks import Error, Warning, register

from oscar_mlm.conf import get_setting

# A checkout request never runs this long; a spend younger than that may still be in flight.
MIN_ORPHAN_MINUTES = 5


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    minutes = get_setting("OSCAR_MLM_CREDIT_ORPHAN_MINUTES")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < MIN_ORPHAN_MINUTES:
        errors.append(
            Error(
                f"OSCAR_MLM_CREDIT_ORPHAN_MINUTES is {minutes!r}; it must be a whole number of "
                f"at least {MIN_ORPHAN_MINUTES}, longer than any checkout request.",
                id="oscar_mlm.E101",
            )
        )
    days = get_setting("OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        errors.append(
            Error(
                f"OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS is {days!r}; it must be a whole number "
                f"of days, 0 for the whole ledger.",
                id="oscar_mlm.E102",
            )
        )
    errors += check_checkout_settings()
    return errors


def check_checkout_settings():
    from decimal import Decimal, InvalidOperation

    from django.utils.module_loading import import_string

    errors = []
    share = get_setting("OSCAR_MLM_CREDIT_MAX_SHARE")
    if share is not None:
        try:
            valid = not isinstance(share, (bool, float)) and 0 < Decimal(str(share)) <= 1
        except (InvalidOperation, ValueError):
            valid = False
        if not valid:
            errors.append(
                Error(
                    f"OSCAR_MLM_CREDIT_MAX_SHARE is {share!r}; it must be None or a share of the "
                    "order total above 0 and at most 1, as a string or Decimal, e.g. \"0.5\".",
                    id="oscar_mlm.E103",
                )
            )
    for path in get_setting("OSCAR_MLM_PAYMENT_METHODS") or ():
        try:
            import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"OSCAR_MLM_PAYMENT_METHODS names {path!r}, which cannot be imported: {exc}",
                    id="oscar_mlm.E104",
                )
            )
    return errors


@register()
def check_checkout(app_configs, **kwargs):
    """Credit is spent in the checkout: ours, or a shop's fork of it."""
    from oscar.core.loading import get_class

    from oscar_mlm.apps.checkout.mixins import CreditPaymentMixin

    view = get_class("checkout.views", "PaymentDetailsView")
    if issubclass(view, CreditPaymentMixin):
        return []
    return [
        Warning(
            f"The checkout's PaymentDetailsView ({view.__module__}) does not spend loyalty "
            "credit: customers earn credit but can never use it.",
            hint="Install 'oscar_mlm.apps.checkout.apps.CheckoutConfig' instead of Oscar's "
            "checkout app, or fork it (see 'Your payment provider' in the docs).",
            id="oscar_mlm.W101",
        )
    ]
