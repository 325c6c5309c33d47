"""Find every URL of the package, the query parameters and form fields each reads.

URLs come from the resolver (so URLs added later are covered without editing
the tests): every pattern whose view lives in ``oscar_mlm`` or whose namespace is
one of the package's app labels (the forked ``checkout``). Field names come from
two sources: the keys a view actually reads from ``request.GET``/``request.POST``
(recorded by :class:`RecordingMiddleware`) and the forms in the HTML it renders.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

MIDDLEWARE = "tests.odd_input.crawler.RecordingMiddleware"


def package_labels():
    return {c.label for c in apps.get_app_configs() if c.name.startswith("oscar_mlm.")}


def view_module(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "__wrapped__", callback)
    view = getattr(view, "view_class", view)
    return getattr(view, "__module__", "") or ""


class Route:
    """One URL pattern: its name, the raw route with ``<converter:name>`` holes, its converters."""

    def __init__(self, name, parts, converters):
        self.name = name
        self.parts = parts
        self.converters = converters

    def path(self, **values):
        out = []
        for part in self.parts:
            if isinstance(part, tuple):
                out.append(quote(str(values[part[0]]), safe=""))
            else:
                out.append(part)
        return "/" + "".join(out)

    def __repr__(self):
        route = "".join(p if isinstance(p, str) else f"<{p[0]}>" for p in self.parts)
        return f"<Route {self.name} /{route}>"


def _split(route):
    """``a/<int:pk>/b/`` -> ["a/", ("pk", "int"), "/b/"]."""
    parts, rest = [], route
    while "<" in rest:
        before, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        converter, _, name = spec.rpartition(":")
        parts += [before, (name, converter or "str")]
    parts.append(rest)
    return [p for p in parts if p != ""]


def package_routes(urlconf=None):
    """Every URL pattern of the package as a :class:`Route`, found by walking the resolver."""
    labels = package_labels()
    routes = []

    def walk(patterns, prefix, namespaces, ours):
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern):
                continue  # the package declares paths only
            here = prefix + _split(str(entry.pattern))
            if isinstance(entry, URLResolver):
                spaces = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry.url_patterns, here, spaces, ours or entry.namespace in labels)
            elif isinstance(entry, URLPattern):
                if ours or view_module(entry.callback).startswith("oscar_mlm."):
                    name = ":".join(namespaces + [entry.name or "?"])
                    converters = {p[0]: p[1] for p in here if isinstance(p, tuple)}
                    routes.append(Route(name, here, converters))

    walk(get_resolver(urlconf).url_patterns, [], [], False)
    return routes


# -- recording what a view reads ------------------------------------------------------------


class RecordingQueryDict(QueryDict):
    seen = None

    def _note(self, key):
        if self.seen is not None:
            self.seen.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def _getlist(self, key, *args, **kwargs):
        self._note(key)
        return super()._getlist(key, *args, **kwargs)


def recording(source, seen):
    copy = RecordingQueryDict(mutable=True, encoding=source.encoding)
    for key, values in source.lists():
        copy.setlist(key, values)
    copy._mutable = False
    copy.seen = seen
    return copy


class RecordingMiddleware:
    """Test-only, first in the chain: notes every key the view reads from GET and POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seen = {"GET": set(), "POST": set()}
        request.GET = recording(request.GET, seen["GET"])
        if request.method == "POST":
            request.POST = recording(request.POST, seen["POST"])
        response = self.get_response(request)
        response.recorded_keys = seen
        return response


# -- forms in the HTML -------------------------------------------------------------------------


class Form:
    def __init__(self, method, action):
        self.method = method
        self.action = action
        self.fields = {}  # name -> default value
        self.buttons = []  # (name, value) of named submit buttons


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self.form)
            return
        form = self.form
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.fields:
                    form.fields[name] = a.get("value", "on") if "checked" in a else ""
            elif kind != "file":
                form.fields[name] = a.get("value", "")
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self.select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self.select:
            if "selected" in a or not form.fields.get(self.select):
                form.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = ""

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_in(response, page_path):
    """The forms of an HTML response, each with the path it submits to."""
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode(errors="replace"))
    for form in parser.forms:
        target = urlsplit(form.action)
        form.path = target.path or page_path
    return parser.forms


# -- writes that stayed ------------------------------------------------------------------------

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+"?(\w+)"?', re.I)


def net_writes(captured_queries):
    """The tables written by statements that were not rolled back to a savepoint.

    A refusal may come from an all-or-nothing service that wrote and then rolled
    its savepoint back: that changed nothing.
    """
    stack = [("", set())]
    for query in captured_queries:
        sql = query["sql"] or ""
        if m := SAVEPOINT.match(sql):
            verb, name = m.group(1).upper(), m.group(2)
            if verb == "SAVEPOINT":
                stack.append((name, set()))
                continue
            names = [n for n, _ in stack]
            if name not in names:
                continue
            index = names.index(name)
            if verb.startswith("RELEASE"):
                for _, writes in stack[index:]:
                    stack[index - 1][1].update(writes)
                del stack[index:]
            else:  # rolled back: its writes are gone, the savepoint stays
                for _, writes in stack[index:]:
                    writes.clear()
                del stack[index + 1 :]
        elif m := WRITE.match(sql):
            stack[-1][1].add(m.group(1))
    return set().union(*(writes for _, writes in stack))
