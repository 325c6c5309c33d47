"""URLconf of the stock-Oscar baseline (benchmarks/stock_settings.py).

The sandbox's URLs minus django-oscar-mlm: admin, i18n and Oscar's own URLs only.
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
