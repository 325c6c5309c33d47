"""Sphinx configuration for django-oscar-mlm's documentation."""

project = "django-oscar-mlm"
author = "django-oscar-mlm developers"
copyright = "2026, django-oscar-mlm developers"  # noqa: A001
release = "0.1.0"

extensions = []
templates_path = []
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
language = "en"
