"""Sphinx configuration for django-oscar-mlm's documentation."""

import sys
from pathlib import Path

project = "django-oscar-mlm"
author = "django-oscar-mlm developers"
copyright = "2026, django-oscar-mlm developers"  # noqa: A001
release = "0.1.0"

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# api_reference: docs/api.rst's reference, generated from _static/api-schema.yaml.
extensions = ["api_reference"]
templates_path = []
exclude_patterns = ["_build", "_ext"]
html_theme = "alabaster"
html_static_path = ["_static"]
language = "en"
