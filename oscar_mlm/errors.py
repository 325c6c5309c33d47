"""The shop's 500 handler: a database that is briefly away answers 503, not an error page.

While PostgreSQL restarts or fails over, every request that needs it raises
``OperationalError`` or ``InterfaceError``; a deadlock or serialization failure
raises ``OperationalError`` too. All of these are worth a retry, so the visitor gets
"try again in a moment" with ``Retry-After`` (and clients and proxies may retry), and
the next request reconnects (``CONN_HEALTH_CHECKS``). Any other exception gets the
shop's normal 500 page. Neither shows a traceback. In the shop's ``urls.py``::

    handler500 = "oscar_mlm.errors.server_error"

The 503 page is built without templates, context processors or the database, so it
renders while the database is down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from oscar_mlm.conf import get_setting

TRANSIENT = (OperationalError, InterfaceError)


def is_transient(exception):
    return isinstance(exception, TRANSIENT)


def unavailable(request):
    title = _("The shop is briefly unavailable")
    html = format_html(
        '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8">'
        '<meta name="robots" content="noindex"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        get_language() or "en",
        title,
        title,
        _("Please try again in a moment."),
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(get_setting("OSCAR_MLM_RETRY_AFTER_SECONDS"))
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    if is_transient(sys.exc_info()[1]):
        return unavailable(request)
    return import_string(get_setting("OSCAR_MLM_SERVER_ERROR_VIEW"))(request)
