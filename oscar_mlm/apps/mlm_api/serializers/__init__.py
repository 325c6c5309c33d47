"""Serializers of the API.

``checkout`` and ``basket`` are django-oscar-api overrides (found through
``OSCARAPI_OVERRIDE_MODULES``); the other modules serve our own endpoints.
"""
