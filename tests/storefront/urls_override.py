"""A shop test's own URLconf: one page more than the sandbox's."""

from django.http import HttpResponse
from django.urls import path

from sandbox.urls import urlpatterns as shop_urlpatterns


def only_here(request):
    storefront = getattr(request, "storefront", None)
    return HttpResponse(f"only here, storefront {storefront.handle if storefront else '-'}")


urlpatterns = [path("only-here/", only_here, name="only-here"), *shop_urlpatterns]

handler404 = "oscar.views.handler404"
