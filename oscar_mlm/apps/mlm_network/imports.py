"""Reading an import of existing users into the network (``manage.py mlm_import_members``).

A shop that installs the plugin with existing customers enters them as
customers of the company, or of the sponsors a CSV file names. This module
reads and checks the input (every row, every error at once, nothing
written); :func:`oscar_mlm.apps.mlm_network.services.import_members` writes it.

The CSV has a header line. Columns (names are case-insensitive; comma,
semicolon or tab separated; UTF-8, also with Excel's byte-order mark):

``email`` (required)
    The existing user's e-mail address.
``sponsor``
    Empty: the company. Otherwise a storefront handle, a member number, the
    e-mail address of a member, or the e-mail address of a distributor in an
    earlier row of the same file.
``kind``
    ``customer`` (default) or ``distributor``.
``handle``
    A distributor's storefront handle; empty: derived from the name.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_model

from oscar_mlm.parsing import has_nul

from . import services
from .exceptions import NetworkError
from .validators import normalise_handle

Member = get_model("mlm_network", "Member")

COLUMNS = ("email", "sponsor", "kind", "handle")
KINDS = (Member.CUSTOMER, Member.DISTRIBUTOR)
MAX_FIELD = 254


@dataclass
class ImportRow:
    """One person to enter: ``sponsor`` is a ``Member`` or an earlier ``ImportRow``."""

    line: int
    user: object
    sponsor: object
    kind: str = Member.CUSTOMER
    handle: str = ""
    member: object = None  # set when entered


@dataclass
class ImportPlan:
    rows: list
    errors: list
    already: list  # (line, user, note) of users who are members already: left as they are

    @property
    def ok(self):
        return not self.errors


def users_without_member(include_staff=False):
    """Active users who are not in the network yet, oldest first (the import without a CSV)."""
    users = get_user_model()._default_manager.filter(mlm_member__isnull=True, is_active=True)
    if not include_staff:
        users = users.filter(is_staff=False, is_superuser=False)
    return users.order_by("pk")


def plan_company_customers(users):
    """Every user in ``users`` becomes a customer of the company."""
    company = services.get_company()
    return ImportPlan(
        rows=[ImportRow(line=0, user=user, sponsor=company) for user in users],
        errors=[],
        already=[],
    )


def read_csv(data):
    """An :class:`ImportPlan`: the CSV text ``data`` checked against the network and users."""
    errors = []
    if has_nul(data):
        return ImportPlan([], [_("The file contains NUL bytes; is it really a CSV file?")], [])
    data = data.lstrip("\ufeff")
    lines = data.splitlines()
    if not lines or not lines[0].strip():
        return ImportPlan([], [_("The file is empty; the first line names the columns.")], [])
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(data), dialect)
    header = [name.strip().lower() for name in next(reader)]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or "email" not in header or len(set(header)) != len(header):
        return ImportPlan(
            [],
            [
                _(
                    "Line 1: the columns are %(found)s; allowed are email (required), "
                    "sponsor, kind and handle, each once."
                )
                % {"found": ", ".join(header) or "-"}
            ],
            [],
        )
    raw = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            errors.append(_("Line %(line)s: more values than columns.") % {"line": line})
            continue
        if any(len(value) > MAX_FIELD for value in values):
            errors.append(_("Line %(line)s: a value is too long.") % {"line": line})
            continue
        raw.append((line, dict(zip(header, (v.strip() for v in values), strict=False))))
    if not raw and not errors:
        errors.append(_("The file has no rows below its header line."))
    return _check(raw, errors)


def _email(value):
    email = normalise_email(value or "").lower()
    validate_email(email)
    return email


def _users_by_email(emails):
    """``{lower-case e-mail: [users]}`` in chunks of one query each."""
    found = {}
    emails = sorted(emails)
    User = get_user_model()
    for start in range(0, len(emails), 1000):
        chunk = emails[start : start + 1000]
        users = User._default_manager.annotate(lower_email=Lower("email")).filter(
            lower_email__in=chunk
        )
        for user in users:
            found.setdefault(user.lower_email, []).append(user)
    return found


def _check(raw, errors):
    already, rows = [], []
    emails = {}
    for line, values in raw:
        try:
            emails[line] = _email(values.get("email"))
        except ValidationError:
            errors.append(
                _("Line %(line)s: %(value)r is not an e-mail address.")
                % {"line": line, "value": values.get("email", "")}
            )
    users = _users_by_email(set(emails.values()))
    members = {
        m.user_id: m
        for m in Member.objects.filter(
            user__in=[u for found in users.values() for u in found]
        ).select_related("parent")
    }
    company = services.get_company()
    seen, handles, by_email = {}, {}, {}
    for line, values in raw:
        if line not in emails:
            continue
        email = emails[line]

        def fail(message, line=line):
            errors.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})

        if email in seen:
            fail(
                _("%(email)s already appears in line %(first)s.")
                % {"email": email, "first": seen[email]}
            )
            continue
        seen[email] = line
        found = users.get(email, [])
        if not found:
            fail(_("there is no user with the e-mail address %(email)s.") % {"email": email})
            continue
        if len(found) > 1:
            fail(_("several users have the e-mail address %(email)s.") % {"email": email})
            continue
        user = found[0]
        member = members.get(user.pk)
        if member is not None:
            # Entered before (a second run of the same file): left as it is, never moved.
            named = _sponsor(values.get("sponsor", ""), company, by_email, lambda message: None)
            note = ""
            if isinstance(named, Member) and member.parent_id != named.pk:
                note = _("already a member below %(sponsor)s; not moved.") % {
                    "sponsor": member.parent.display_name if member.parent else "-"
                }
            already.append((line, user, note))
            by_email[email] = member
            continue
        kind = (values.get("kind") or Member.CUSTOMER).lower()
        if kind not in KINDS:
            fail(_("the kind must be customer or distributor, not %(kind)r.") % {"kind": kind})
            continue
        sponsor = _sponsor(values.get("sponsor", ""), company, by_email, fail)
        if sponsor is None:
            continue
        handle = normalise_handle(values.get("handle"))
        if handle and kind != Member.DISTRIBUTOR:
            fail(_("only distributors have a storefront handle."))
            continue
        if handle:
            try:
                services.check_handle_free(handle)
            except NetworkError as exc:
                fail(str(exc.message))
                continue
            if handle in handles:
                fail(
                    _("the handle %(handle)s is also in line %(first)s.")
                    % {"handle": handle, "first": handles[handle]}
                )
                continue
            handles[handle] = line
        row = ImportRow(line=line, user=user, sponsor=sponsor, kind=kind, handle=handle)
        rows.append(row)
        by_email[email] = row
    return ImportPlan(rows=rows, errors=errors, already=already)


def _sponsor(value, company, by_email, fail):
    """The sponsor a row names: the company, an existing member, or an earlier row."""
    value = (value or "").strip()
    if not value:
        return company
    sponsor = None
    if "@" in value:
        try:
            email = _email(value)
        except ValidationError:
            fail(_("the sponsor %(value)r is not an e-mail address.") % {"value": value})
            return None
        sponsor = by_email.get(email) or Member.objects.filter(user__email__iexact=email).first()
    elif value.isascii():
        sponsor = services.find_sponsor(value)
    if sponsor is None:
        fail(
            _(
                "no sponsor %(value)r (a handle, member number or e-mail address of a member "
                "or of a distributor in an earlier line)."
            )
            % {"value": value}
        )
        return None
    kind = sponsor.kind
    if kind not in (Member.COMPANY, Member.DISTRIBUTOR):
        fail(
            _("the sponsor %(value)r is a customer; only distributors sponsor.") % {"value": value}
        )
        return None
    if isinstance(sponsor, Member) and sponsor.status != Member.ACTIVE:
        fail(_("the sponsor %(value)r is not active.") % {"value": value})
        return None
    return sponsor
