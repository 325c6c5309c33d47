"""System checks that say what a shop's settings leave out, instead of silence."""

from oscar_mlm.apps.mlm_credit.checks import check_checkout
from oscar_mlm.apps.mlm_storefront.checks import (
    CONTEXT_PROCESSOR,
    REQUEST_MIDDLEWARE,
    STOREFRONT_MIDDLEWARE,
    check_storefront_settings,
)


def ids(messages):
    return sorted(m.id for m in messages)


def test_the_sandbox_settings_pass():
    assert check_storefront_settings(None) == []
    assert check_checkout(None) == []


def test_storefronts_without_hosts_middleware_hostconf_or_context_processor(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != REQUEST_MIDDLEWARE]
    assert ids(check_storefront_settings(None)) == ["oscar_mlm.W201"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, REQUEST_MIDDLEWARE]
    del settings.ROOT_HOSTCONF
    assert ids(check_storefront_settings(None)) == ["oscar_mlm.W201"]


def test_storefront_middleware_and_context_processor_missing(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != STOREFRONT_MIDDLEWARE]
    engine = dict(settings.TEMPLATES[0])
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [
            p for p in engine["OPTIONS"]["context_processors"] if p != CONTEXT_PROCESSOR
        ],
    }
    settings.TEMPLATES = [engine]
    assert ids(check_storefront_settings(None)) == ["oscar_mlm.W202", "oscar_mlm.W203"]


def test_credit_without_our_checkout_is_reported(monkeypatch):
    import oscar.core.loading
    from oscar.apps.checkout.views import PaymentDetailsView

    original = oscar.core.loading.get_class

    def oscars_own(module_label, classname, *args, **kwargs):
        if (module_label, classname) == ("checkout.views", "PaymentDetailsView"):
            return PaymentDetailsView
        return original(module_label, classname, *args, **kwargs)

    monkeypatch.setattr(oscar.core.loading, "get_class", oscars_own)
    [warning] = check_checkout(None)
    assert warning.id == "oscar_mlm.W101"
    assert "oscar.apps.checkout.views" in warning.msg
