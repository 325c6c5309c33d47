"""The shop's URLconf: our installed apps' URLs ahead of Oscar's, as the install guide says."""

from django.apps import apps
from django.urls import include, path

urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]
LABELS = ("mlm_network", "mlm_storefront", "mlm_vouchers", "mlm_credit", "mlm_commissions",
          "mlm_backoffice")  # fmt: skip
for label in LABELS:
    if apps.is_installed(f"oscar_mlm.apps.{label}"):
        urlpatterns.append(path("", apps.get_app_config(label).urls))
urlpatterns.append(path("", include(apps.get_app_config("oscar").urls[0])))

handler404 = "oscar.views.handler404"
