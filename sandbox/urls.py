from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # django-oscar-mlm: our sign-up views answer Oscar's register/login paths,
    # so they go before Oscar's URLs.
    path("", apps.get_app_config("mlm_network").urls),
    path("", apps.get_app_config("mlm_storefront").urls),
    path("", apps.get_app_config("mlm_vouchers").urls),
    # Loyalty credit: the account page (accounts/credit/).
    path("", apps.get_app_config("mlm_credit").urls),
    path("", apps.get_app_config("mlm_commissions").urls),
    # The partner back office, "My business" (accounts/business/).
    path("", apps.get_app_config("mlm_backoffice").urls),
    # The network dashboard section: every staff page of the installed apps
    # (members, vouchers, credit, volumes...), one permission check for all.
    path("dashboard/mlm/", apps.get_app_config("mlm_dashboard").urls),
    # The REST API: ours under api/mlm/, django-oscar-api's under api/ (docs/api.rst).
    path("api/mlm/", apps.get_app_config("mlm_api").urls),
    path("api/", include("oscarapi.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Oscar's friendly error pages (also for unknown storefronts).
handler403 = "oscar.views.handler403"
handler404 = "oscar.views.handler404"
# A database that is briefly away (a restart, a failover) answers 503 with Retry-After.
handler500 = "oscar_mlm.errors.server_error"
