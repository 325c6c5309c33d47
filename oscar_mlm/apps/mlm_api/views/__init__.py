"""Views of the API, one module per area (each loaded only if its app is installed).

``checkout``, ``basket`` and ``login`` are django-oscar-api overrides, found
through ``OSCARAPI_OVERRIDE_MODULES``.
"""
