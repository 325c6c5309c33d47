"""What each app holds about a person: erasers (GDPR art. 17) and exporters (art. 15, 20).

No function knows every app. Each installed app lists its own in its app config::

    class MyConfig(AppConfig):
        personal_data_erasers = ["myapp.personal_data.erase"]
        personal_data_exporters = ["myapp.personal_data.export"]

An **eraser** ``erase(person)`` is called inside the one transaction of
``mlm_network.services.erase_person``, after the user row is locked. It pseudonymises or
deletes what its app holds about ``person`` (a :class:`Person`) and leaves the books
(orders, credit bookings, volume and commission lines) as they are, so no one else's
figures change. An **exporter** ``export(user)`` returns ``{section name: list of row
dicts}`` for the person's data download (``oscar_mlm.apps.mlm_network.download``).
Apps are asked in ``INSTALLED_APPS`` order; an app left out contributes nothing.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string

ERASED = "[erased]"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail


@dataclass(frozen=True)
class Person:
    """Who is erased: the values to remove and the pseudonyms that replace them."""

    user_id: int
    email: str
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    member_id: int = None
    handles: tuple = field(default_factory=tuple)  # the current and every former handle

    @property
    def pseudonym(self):
        return f"erased-{self.user_id}"

    @property
    def pseudonym_email(self):
        return f"{self.pseudonym}@{ERASED_DOMAIN}"

    def identifiers(self):
        """The texts that identify the person, longest first (so a full name goes before
        its parts)."""
        full_name = f"{self.first_name} {self.last_name}".strip()
        values = {self.email, full_name, self.first_name, self.last_name, self.username}
        values.update(self.handles)
        # One letter would scrub every text; such a name cannot be told from other words.
        return sorted((v for v in values if v and len(v.strip()) > 1), key=len, reverse=True)

    def scrub(self, text):
        """``text`` with every identifier replaced by ``[erased]`` (case-insensitive)."""
        if not text:
            return text
        for value in self.identifiers():
            text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
        return text

    def mentions(self):
        """A filter builder: ``Q`` matching rows whose ``field`` mentions the person."""

        def q(field_name):
            match = models.Q(pk__in=[])
            for value in self.identifiers():
                match |= models.Q(**{f"{field_name}__icontains": value})
            return match

        return q


def scrub_value(value, person):
    """``value`` (text, or JSON data: dicts and lists of texts) with the person scrubbed."""
    if isinstance(value, str):
        return person.scrub(value)
    if isinstance(value, dict):
        return {key: scrub_value(item, person) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(item, person) for item in value]
    return value


def scrub_rows(queryset, person, *field_names):
    """Scrub ``field_names`` of every row of ``queryset`` that mentions the person.

    Uses the plain ``QuerySet.update``, also on append-only audit tables: erasure is the
    one rewrite of their texts the law demands (the rows themselves stay).
    """
    mentions = person.mentions()
    match = models.Q(pk__in=[])
    for name in field_names:
        match |= mentions(name)
    changed = 0
    for row in queryset.filter(match).values("pk", *field_names):
        values = {name: person.scrub(row[name]) for name in field_names if row[name]}
        changed += queryset.model._base_manager.filter(pk=row["pk"]).update(**values)
    return changed


def _functions(attribute):
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, attribute, ()):
            found.append(import_string(path))
    return found


def erasers():
    """Every installed app's erasers, in ``INSTALLED_APPS`` order."""
    return _functions("personal_data_erasers")


def exporters():
    """Every installed app's exporters, in ``INSTALLED_APPS`` order."""
    return _functions("personal_data_exporters")
