"""The person's data download (GDPR art. 15 and 20): one ZIP, each section as JSON and CSV.

Sections come from every installed app's exporters (:mod:`oscar_mlm.personal_data`). Only
the person's own data goes in: what they entered and what the shop recorded about them, and
notes they wrote; notes others wrote about them are not theirs to download.
"""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from oscar_mlm.exports import csv_lines
from oscar_mlm.personal_data import exporters


def collect(user):
    """``{section: [row dicts]}`` from every installed app, sections in app order."""
    sections = {}
    for export in exporters():
        for name, rows in export(user).items():
            sections.setdefault(name, []).extend(rows)
    return sections


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _csv(rows):
    header = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    lines = csv_lines(header, ([_cell(row.get(key)) for key in header] for row in rows))
    return "".join(lines)


def build_zip(user):
    """The ZIP as bytes: ``<section>.json`` and ``<section>.csv`` for every section."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in collect(user).items():
            archive.writestr(
                f"{name}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()
