from django.conf import settings
from django.core import checks
from django.core.checks import Error, register

from oscar_mlm.conf import RENAMED, get_setting

CHOICES = {
    "OSCAR_MLM_COMPANY_SIGNUP": ("none", "sponsor_id"),
    "OSCAR_MLM_COMPANY_SITE": ("shop", "storefronts_only"),
    "OSCAR_MLM_DISTRIBUTOR_SIGNUP": ("self", "internal"),
    "OSCAR_MLM_DEACTIVATION_DISTRIBUTORS": ("roll_up", "keep"),
    "OSCAR_MLM_DEACTIVATION_CUSTOMERS": ("roll_up", "keep"),
    "OSCAR_MLM_NETWORK_CONTACT_DATA": ("first_line", "customers", "none"),
}


@register()
def check_settings(app_configs, **kwargs):
    """Catch a mistyped policy at start-up instead of on the first sign-up."""
    errors = []
    for name, allowed in CHOICES.items():
        value = get_setting(name)
        if value not in allowed:
            errors.append(
                Error(
                    f"{name} is {value!r}; it must be one of {', '.join(map(repr, allowed))}.",
                    id="oscar_mlm.E001",
                )
            )
    kinds = set(get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS")) - {"customer", "distributor"}
    if kinds:
        errors.append(
            Error(
                f"OSCAR_MLM_INTERNAL_SIGNUP_KINDS may contain only 'customer' and "
                f"'distributor', not {sorted(kinds)}.",
                id="oscar_mlm.E002",
            )
        )
    errors += check_company_site()
    for new, old in RENAMED.items():
        if hasattr(settings, old):
            errors.append(
                checks.Warning(
                    f"{old} is now called {new}; the old name still works for now.",
                    hint=f"Rename {old} to {new} in your settings.",
                    id="oscar_mlm.W001",
                )
            )
    return errors


def check_company_site():
    """Settings of the company site and of self sign-up that contradict each other."""
    from django.apps import apps

    errors = []
    site = get_setting("OSCAR_MLM_COMPANY_SITE")
    policy = get_setting("OSCAR_MLM_COMPANY_SIGNUP")
    own_signup = get_setting("OSCAR_MLM_DISTRIBUTOR_SIGNUP")
    kinds = set(get_setting("OSCAR_MLM_COMPANY_SIGNUP_KINDS") or ())
    if not kinds or kinds - {"customer", "distributor"}:
        errors.append(
            Error(
                "OSCAR_MLM_COMPANY_SIGNUP_KINDS must name 'customer' and/or 'distributor', "
                f"not {sorted(kinds)}.",
                id="oscar_mlm.E004",
            )
        )
    if site == "storefronts_only" and policy == "sponsor_id":
        errors.append(
            Error(
                "OSCAR_MLM_COMPANY_SITE is 'storefronts_only' (no sign-up on the company site) "
                "but OSCAR_MLM_COMPANY_SIGNUP is 'sponsor_id' (sign-up there with a sponsor id).",
                hint="Choose one: OSCAR_MLM_COMPANY_SIGNUP = 'none', or "
                "OSCAR_MLM_COMPANY_SITE = 'shop'.",
                id="oscar_mlm.E005",
            )
        )
    if site == "storefronts_only" and not apps.is_installed("oscar_mlm.apps.mlm_storefront"):
        errors.append(
            Error(
                "OSCAR_MLM_COMPANY_SITE is 'storefronts_only', which sends visitors to the "
                "storefronts, but the storefront app (oscar_mlm.apps.mlm_storefront) is not "
                "installed.",
                id="oscar_mlm.E006",
            )
        )
    if own_signup == "internal" and "distributor" in kinds and policy == "sponsor_id":
        errors.append(
            Error(
                "OSCAR_MLM_DISTRIBUTOR_SIGNUP is 'internal' (distributors never sign "
                "themselves up) but OSCAR_MLM_COMPANY_SIGNUP_KINDS lets them sign up on the "
                "company site.",
                hint="Remove 'distributor' from OSCAR_MLM_COMPANY_SIGNUP_KINDS.",
                id="oscar_mlm.E007",
            )
        )
    if own_signup == "internal" and "distributor" not in set(
        get_setting("OSCAR_MLM_INTERNAL_SIGNUP_KINDS") or ()
    ):
        errors.append(
            checks.Warning(
                "OSCAR_MLM_DISTRIBUTOR_SIGNUP is 'internal' but OSCAR_MLM_INTERNAL_SIGNUP_KINDS "
                "does not let distributors enter distributors: only staff can make new ones.",
                hint="Add 'distributor' to OSCAR_MLM_INTERNAL_SIGNUP_KINDS.",
                id="oscar_mlm.W003",
            )
        )
    if "distributor" in kinds and policy != "sponsor_id":
        errors.append(
            checks.Warning(
                "OSCAR_MLM_COMPANY_SIGNUP_KINDS names 'distributor', but the company site has "
                "no sign-up (OSCAR_MLM_COMPANY_SIGNUP is not 'sponsor_id'): it has no effect.",
                id="oscar_mlm.W004",
            )
        )
    return errors


@register()
def check_signup_resolvers(app_configs, **kwargs):
    """A resolver list set by hand must import, and should not leave out an installed app's.

    Without the storefront app's resolvers a sign-up on a storefront would not
    get the storefront's owner as sponsor, silently.
    """
    from django.apps import apps
    from django.utils.module_loading import import_string

    from .signup import EMAIL_RESOLVERS, REQUEST_RESOLVERS

    errors = []
    for setting, attribute in (REQUEST_RESOLVERS, EMAIL_RESOLVERS):
        configured = get_setting(setting)
        if configured is None:
            continue
        for path in configured:
            try:
                import_string(path)
            except ImportError as exc:
                errors.append(
                    Error(
                        f"{setting} names {path!r}, which cannot be imported: {exc}",
                        id="oscar_mlm.E003",
                    )
                )
        for config in apps.get_app_configs():
            missing = [p for p in getattr(config, attribute, ()) if p not in configured]
            if missing:
                errors.append(
                    checks.Warning(
                        f"{setting} leaves out the sign-up resolver(s) {', '.join(missing)} "
                        f"of the installed app {config.label!r}, so that app's sign-up "
                        f"attribution does nothing.",
                        hint=f"Remove {setting} from your settings (the default, None, takes "
                        f"every installed app's resolvers) or add them to the list.",
                        id="oscar_mlm.W002",
                    )
                )
    return errors
