from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics


class MlmAPIView(generics.GenericAPIView):
    # The base of our endpoints (no docstring: the schema takes each view's own).

    @property
    def member(self):
        return getattr(self.request, "mlm_member", None)


PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="Where the page starts: from the `next` link."),
    OpenApiParameter(
        "limit", int, description="Rows per page (at most OSCAR_MLM_API_MAX_PAGE_SIZE)."
    ),
]
