from django.conf import settings
from django.core import checks
from django.core.checks import Error, register

from oscar_mlm.conf import RENAMED, get_setting

CHOICES = {
    "OSCAR_MLM_COMPANY_SIGNUP": ("none", "sponsor_id"),
    "OSCAR_MLM_DEACTIVATION_DISTRIBUTORS": ("roll_up", "keep"),
    "OSCAR_MLM_DEACTIVATION_CUSTOMERS": ("roll_up", "keep"),
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
