"""The German catalogues of the running shop, for the tests that look for English on German pages.

``english_needles()`` lists what English text of ours, Oscar's or Django's looks like: each
message whose German differs from the English, cut at its placeholders. A page in German
that shows one of them shows English a translation should have replaced.
"""

import contextlib
import functools
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import django
from babel.messages.pofile import read_po
from django.apps import apps

OUR_PO = Path(__file__).resolve().parents[1] / "oscar_mlm/locale/de/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|%%|\{[^}]*\}")


def german_catalogues():
    """Our catalogue first, then Django's and every installed app's German ``django.po``."""
    paths = [OUR_PO, Path(django.__file__).parent / "conf/locale/de/LC_MESSAGES/django.po"]
    paths += [Path(c.path) / "locale/de/LC_MESSAGES/django.po" for c in apps.get_app_configs()]
    seen = set()
    for path in paths:
        if path.exists() and path.resolve() not in seen:
            seen.add(path.resolve())
            # Babel prints a warning for each odd obsolete entry of Oscar's catalogue.
            quiet = contextlib.nullcontext() if path == OUR_PO else redirect_stdout(io.StringIO())
            with path.open("rb") as po, quiet:
                catalogue = read_po(po, locale="de")
            yield path, catalogue


def upstream_msgids():
    """(context, msgid) of every message in a German catalogue that is not ours."""
    ids = set()
    for path, catalogue in german_catalogues():
        if path.resolve() != OUR_PO.resolve():
            for message in catalogue:
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                ids.add((message.context, msgid))
    return ids


@functools.cache
def english_needles():
    """(phrases, words): English fragments of two words or more, and single English words.

    Only messages whose German differs from the English count ("Status" is German too),
    and only fragments between placeholders.
    """
    phrases, words, same, german = set(), set(), set(), set()
    for _path, catalogue in german_catalogues():
        for message in catalogue:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            german.update(" ".join(s.split()) for s in strings if s)
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for msgid in ids:
                if not msgid:
                    continue
                if any(s and s.strip() == msgid.strip() for s in strings):
                    same.add(msgid.strip())
                    continue
                for fragment in PLACEHOLDER.split(" ".join(msgid.split())):
                    fragment = fragment.strip(" :,.;()\"'“”-")
                    if not re.search("[A-Za-z]{2}", fragment) or "<" in fragment:
                        continue
                    if " " in fragment and len(fragment) >= 8:
                        phrases.add(fragment)
                    elif " " not in fragment and not placeholder_only(msgid, fragment):
                        words.add(fragment)
    # A word that is German somewhere ("Start", Oscar's German for "Home") proves nothing.
    return frozenset(phrases - german), frozenset(words - same - german)


def placeholder_only(msgid, fragment):
    """A word that is only a piece of a message with placeholders is too short to judge."""
    return bool(PLACEHOLDER.search(msgid))


def english_on(texts, phrases, words):
    """The English needles found in ``texts`` (visible text nodes, whitespace collapsed)."""
    found = set()
    for text in texts:
        if text in words:
            found.add(text)
        for phrase in phrases:
            if phrase in text and re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![a-z])", text):
                found.add(phrase)
    return sorted(found)
