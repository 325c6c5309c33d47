from drf_spectacular.views import SpectacularAPIView

from ..schema import SETTINGS


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ``?format=json`` for JSON). No login needed."""

    custom_settings = SETTINGS
    authentication_classes = []
