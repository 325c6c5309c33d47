"""WSGI entry point of the sandbox shop, for gunicorn (``bash dev.sh prod``, docs/hosting.rst)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings_production")

application = get_wsgi_application()
