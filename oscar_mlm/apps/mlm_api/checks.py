from django.conf import settings
from django.core.checks import Warning, register

GUIDE = "See 'The REST API' in the docs (docs/api.rst)."
MODULE = "oscar_mlm.apps.mlm_api"


@register()
def check_oscarapi(app_configs, **kwargs):
    """Our overrides of django-oscar-api are in force, and its own registration is closed."""
    warnings = []
    if MODULE not in getattr(settings, "OSCARAPI_OVERRIDE_MODULES", ()):
        warnings.append(
            Warning(
                f"OSCARAPI_OVERRIDE_MODULES does not name {MODULE!r}: django-oscar-api's "
                "checkout does not spend loyalty credit nor record the storefront, and its "
                "voucher endpoint skips the partner codes' rules and throttle.",
                hint=GUIDE,
                id="oscar_mlm.W301",
            )
        )
    schema_class = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_SCHEMA_CLASS")
    if schema_class != "drf_spectacular.openapi.AutoSchema":
        warnings.append(
            Warning(
                "REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS'] is not "
                "'drf_spectacular.openapi.AutoSchema': the API's schema cannot be generated.",
                hint=GUIDE,
                id="oscar_mlm.W303",
            )
        )
    if getattr(settings, "OSCARAPI_ENABLE_REGISTRATION", False):
        warnings.append(
            Warning(
                "OSCARAPI_ENABLE_REGISTRATION is on, but django-oscar-api's registration "
                "creates users without a sponsor. It stays closed while "
                f"{MODULE!r} is in OSCARAPI_OVERRIDE_MODULES; people sign up through "
                "the mlm_api sign-up endpoint.",
                hint=GUIDE,
                id="oscar_mlm.W302",
            )
        )
    return warnings
