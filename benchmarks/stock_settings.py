"""Stock Oscar: the sandbox's settings minus everything of django-oscar-mlm.

The baseline of ``benchmarks/storefront.py`` and ``benchmarks/load.py``. It starts from
``sandbox/settings.py`` (or the module named by ``MLM_STOCK_BASE``)
(same database, search, locale, middleware order, Oscar settings and the same
environment variables: ``SANDBOX_SQLITE``, ``SANDBOX_WHOOSH_PATH``, ``SANDBOX_DEBUG``)
and removes:

* the MLM apps and ``django_hosts`` from ``INSTALLED_APPS``, and the ``sandbox`` app,
  whose ``templates/`` folder would otherwise bring back the layout override; an Oscar
  app the plugin forks (``oscar_mlm.apps.checkout``) goes back to Oscar's own;
* the storefront and django-hosts middleware;
* ``ROOT_HOSTCONF``, ``DEFAULT_HOST``, ``PARENT_HOST`` and every ``OSCAR_MLM_*`` setting;
* the storefront context processor and the MLM dashboard navigation;
* nothing of the search: the sandbox's product index (which replaces Oscar's) stays, found
  in ``benchmarks/search_indexes.py``;
* the sandbox's ``templates/oscar/layout.html`` override (``DIRS = []``): Oscar's own
  layout is rendered.

URLs: Oscar's own (``benchmarks/stock_urls.py``).
"""

import os as _os
from importlib import import_module as _import_module
from importlib.util import find_spec as _find_spec

from oscar import defaults as _oscar_defaults

# The settings to strip: the sandbox's, or MLM_STOCK_BASE (benchmarks/load.py takes
# sandbox.settings_production, so stock Oscar runs on the same production stack).
_base = _import_module(_os.environ.get("MLM_STOCK_BASE", "sandbox.settings"))
globals().update({_k: _v for _k, _v in vars(_base).items() if _k.isupper()})
INSTALLED_APPS, MIDDLEWARE, TEMPLATES = _base.INSTALLED_APPS, _base.MIDDLEWARE, _base.TEMPLATES


def _ours(dotted):
    return dotted.startswith(("oscar_mlm", "django_hosts")) or dotted == "sandbox"


def _oscars_own(app):
    """Oscar's app for a fork in the plugin (``oscar_mlm.apps.checkout.apps.X``), or None."""
    if not app.startswith("oscar_mlm.apps.") or app.split(".")[2].startswith("mlm_"):
        return None
    candidate = "oscar.apps." + app[len("oscar_mlm.apps.") :]
    module = candidate.rsplit(".", 1)[0] if candidate.rsplit(".", 1)[1][:1].isupper() else candidate
    try:
        return candidate if _find_spec(module) else None
    except ImportError:
        return None


INSTALLED_APPS = [_oscars_own(app) or app for app in INSTALLED_APPS]
INSTALLED_APPS = [app for app in INSTALLED_APPS if not _ours(app)]
# The sandbox's product index (it excludes Oscar's), without the sandbox app's templates:
# benchmarks/search_indexes.py.
INSTALLED_APPS += ["benchmarks"]
MIDDLEWARE = [name for name in MIDDLEWARE if not _ours(name)]
ROOT_URLCONF = "benchmarks.stock_urls"

TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "context_processors": [
                name for name in TEMPLATES[0]["OPTIONS"]["context_processors"] if not _ours(name)
            ],
        },
    }
]

OSCAR_DASHBOARD_NAVIGATION = _oscar_defaults.OSCAR_DASHBOARD_NAVIGATION
if "KEY_PREFIX" in getattr(_base, "CACHES", {}).get("default", {}):
    # A shared cache (Redis): stock Oscar's entries apart from the plugin shop's.
    CACHES = {"default": {**_base.CACHES["default"], "KEY_PREFIX": "stock"}}

for _name in [n for n in globals() if n.startswith("OSCAR_MLM_")] + [
    "ROOT_HOSTCONF",
    "DEFAULT_HOST",
    "PARENT_HOST",
    "MLM_APPS",
    "MLM_DASHBOARD_NAVIGATION",
]:
    globals().pop(_name, None)


def _url_names(items):
    for item in items:
        yield item.get("url_name", "")
        yield from _url_names(item.get("children", []))


# Nothing of the plugin may be left.
assert not any(
    "mlm" in str(value).lower() or "django_hosts" in str(value)
    for value in (INSTALLED_APPS, MIDDLEWARE, TEMPLATES, ROOT_URLCONF)
), "stock_settings still names django-oscar-mlm or django-hosts"
assert not any("mlm" in name for name in _url_names(OSCAR_DASHBOARD_NAVIGATION))
