"""Talking to the production stack (``bash dev.sh prod``) as its reverse proxy would.

The stack's gunicorn stands where nginx forwards to (docs/hosting.rst): it answers the
hosts of ``shop.example`` over plain HTTP on 127.0.0.1 and takes the proxy's word for the
scheme (``X-Forwarded-Proto``) and the client's address (``X-Forwarded-For``). A client
here sends what the proxy would add, and keeps the ``Secure`` cookies the shop sets, as the
browser behind the TLS proxy does. Used by ``tests/production`` and ``benchmarks/load.py``.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from requests.cookies import RequestsCookieJar

PARENT = "shop.example"


def read_env(path):
    """The ``KEY=value`` lines of the stack's environment file (``MLM_PROD_ENV_FILE``)."""
    env = {}
    for line in Path(path).read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value
    return env


class BehindProxyCookieJar(RequestsCookieJar):
    """The connection to the browser is HTTPS (the proxy's): Secure cookies go back.

    requests copies the session's cookies into a plain jar for each request, so a cookie
    policy would not travel; the cookies themselves are stored as sendable over HTTP.
    """

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def host(handle=None):
    return f"{handle}.{PARENT}" if handle else PARENT


def behind_proxy(session, client_ip):
    """Make a ``requests.Session`` (or Locust's) send what the proxy adds for ``client_ip``."""
    session.cookies = BehindProxyCookieJar()
    session.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip})
    return session


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (attrs, fields)
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = (attrs, {})
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form[1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "image", "file"):
                return
            fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in attrs or not fields.get(self._select):
                fields[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def find_form(html, *, form_id=None, action=None):
    """``(action, fields)`` of the page's form with this id (or action): the values a
    browser would submit, without the buttons."""
    parser = _Forms()
    parser.feed(html)
    for attrs, fields in parser.forms:
        if (form_id and attrs.get("id") == form_id) or (
            action and (attrs.get("action") or "").endswith(action)
        ):
            return attrs.get("action") or "", dict(fields)
    raise LookupError(f"no form {form_id or action!r} on the page")


def form_fields(html, *, form_id=None, action=None):
    return find_form(html, form_id=form_id, action=action)[1]


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html):
    found = _CSRF.search(html)
    if not found:
        raise LookupError("no CSRF token on the page")
    return found.group(1)
