"""Distributors' statements: tax details, credit notes (Gutschriften), payout lists.

:func:`save_tax_profile` checks and keeps what a distributor's credit notes
need (tax status, tax number or VAT id, billing address) and issues the
credit notes that were waiting for it. :func:`issue_credit_notes` gives each
closed statement with a positive total a credit note with the next number,
copying the distributor's and the company's details into it, so it never
changes afterwards. :func:`vat_for` is the one VAT rule; :func:`payout_rows`
feeds the payout CSV.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.money import ZERO, quantize
from oscar_mlm.parsing import has_nul

from ..exceptions import InvalidTaxProfile

# Key of the advisory lock that numbers credit notes (PostgreSQL); "MLMN".
CREDIT_NOTE_LOCK = 0x4D4C4D4E

VAT_ID = re.compile(r"[A-Z]{2}[0-9A-Z+*]{2,12}")
GERMAN_VAT_ID = re.compile(r"DE[0-9]{9}")
TAX_NUMBER = re.compile(r"[0-9][0-9/ ]{8,18}[0-9]")
POSTCODE = re.compile(r"[0-9A-Z][0-9A-Z -]{1,10}")
COUNTRY = re.compile(r"[A-Z]{2}")


def _models():
    return (
        get_model("mlm_commissions", "TaxProfile"),
        get_model("mlm_commissions", "CreditNote"),
        get_model("mlm_commissions", "CommissionStatement"),
        get_model("mlm_commissions", "CommissionPeriod"),
    )


# -- tax details --------------------------------------------------------------------------------


def _text(value, field, label, max_length, required=True):
    text = "" if value is None else str(value).strip()
    if has_nul(text) or any(ord(c) < 32 for c in text):
        raise InvalidTaxProfile(_("%(field)s contains characters that are not allowed.")
                                % {"field": label}, field=field)
    if required and not text:
        raise InvalidTaxProfile(_("Enter the %(field)s.") % {"field": label}, field=field)
    if len(text) > max_length:
        raise InvalidTaxProfile(
            _("The %(field)s is too long (at most %(max)s characters).")
            % {"field": label, "max": max_length}, field=field,
        )
    return text


def _known_countries():
    Country = get_model("address", "Country")
    return set(Country.objects.values_list("iso_3166_1_a2", flat=True))


def validate_tax_profile(*, tax_status, name, street, postcode, city, country, vat_id="",
                         tax_number=""):
    """The cleaned tax details, or :class:`InvalidTaxProfile` naming the field that is wrong."""
    TaxProfile, *_rest = _models()
    if tax_status not in dict(TaxProfile.STATUS_CHOICES):
        raise InvalidTaxProfile(_("Choose your tax status."), field="tax_status")
    name = _text(name, "name", _("name or company"), 200)
    street = _text(street, "street", _("street and number"), 200)
    city = _text(city, "city", _("city"), 100)
    country = _text(country, "country", _("country"), 2).upper()
    if not (country.isascii() and COUNTRY.fullmatch(country)):
        raise InvalidTaxProfile(_("Choose a country."), field="country")
    known = _known_countries()
    if known and country not in known:
        raise InvalidTaxProfile(_("Choose a country."), field="country")
    postcode = _text(postcode, "postcode", _("postcode"), 12).upper()
    if country == "DE":
        if not (postcode.isascii() and postcode.isdigit() and len(postcode) == 5):
            raise InvalidTaxProfile(_("A German postcode has five digits."), field="postcode")
    elif not (postcode.isascii() and POSTCODE.fullmatch(postcode)):
        raise InvalidTaxProfile(_("Enter a valid postcode."), field="postcode")
    vat_id = re.sub(r"[\s.-]", "", _text(vat_id, "vat_id", _("VAT identification number"), 20,
                                         required=False)).upper()
    if vat_id and not (vat_id.isascii() and VAT_ID.fullmatch(vat_id)):
        raise InvalidTaxProfile(
            _("A VAT identification number is two letters and 2 to 12 digits or letters, "
              "e.g. DE123456789."), field="vat_id")
    if vat_id.startswith("DE") and not GERMAN_VAT_ID.fullmatch(vat_id):
        raise InvalidTaxProfile(
            _("A German VAT identification number is DE and nine digits."), field="vat_id")
    tax_number = _text(tax_number, "tax_number", _("tax number"), 20, required=False)
    if tax_number:
        digits = tax_number.replace("/", "").replace(" ", "")
        if not (tax_number.isascii() and TAX_NUMBER.fullmatch(tax_number)
                and digits.isdigit() and 10 <= len(digits) <= 13):
            raise InvalidTaxProfile(
                _("A tax number has 10 to 13 digits, e.g. 21/815/08150."), field="tax_number")
    if not vat_id and not tax_number:
        raise InvalidTaxProfile(
            _("A credit note needs your tax number or your VAT identification number."),
            field="tax_number")
    if tax_status == TaxProfile.REVERSE_CHARGE:
        home = str(get_setting("OSCAR_MLM_COMPANY_COUNTRY")).upper()
        if not vat_id:
            raise InvalidTaxProfile(
                _("The reverse charge needs your VAT identification number."), field="vat_id")
        if country == home or vat_id[:2] == home:
            raise InvalidTaxProfile(
                _("The reverse charge applies to businesses in another EU country only."),
                field="tax_status")
    return {
        "tax_status": tax_status, "name": name, "street": street, "postcode": postcode,
        "city": city, "country": country, "vat_id": vat_id, "tax_number": tax_number,
    }


def save_tax_profile(member, **fields):
    """Keep ``member``'s tax details and issue the credit notes that waited for them."""
    TaxProfile, *_rest = _models()
    if not member.is_distributor:
        raise InvalidTaxProfile(_("Only distributors receive credit notes."))
    cleaned = validate_tax_profile(**fields)
    with transaction.atomic():
        profile, _created = TaxProfile.objects.update_or_create(member=member, defaults=cleaned)
        issue_credit_notes(member=member)
    return profile


def tax_profile_of(member):
    TaxProfile, *_rest = _models()
    return TaxProfile.objects.filter(member=member).first()


# -- VAT ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vat:
    net: Decimal
    rate: Decimal
    vat: Decimal
    gross: Decimal


def vat_rate():
    try:
        rate = Decimal(str(get_setting("OSCAR_MLM_COMMISSION_VAT_RATE")))
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 100:
        raise InvalidTaxProfile(_("OSCAR_MLM_COMMISSION_VAT_RATE must be a percentage."))
    return rate


def vat_for(net, tax_status):
    """VAT on a commission of ``net``: added at the rate for VAT-liable distributors, else none."""
    TaxProfile, *_rest = _models()
    net = quantize(net)
    if tax_status == TaxProfile.STANDARD:
        rate = vat_rate()
        vat = quantize(net * rate / 100)
    else:
        rate, vat = ZERO, ZERO
    return Vat(net=net, rate=rate, vat=vat, gross=net + vat)


# -- credit notes -------------------------------------------------------------------------------


def company_details():
    """The company as printed on credit notes (documented settings)."""
    address = get_setting("OSCAR_MLM_COMPANY_ADDRESS")
    if isinstance(address, str):
        address = [line for line in address.splitlines() if line.strip()]
    return {
        "company_name": str(get_setting("OSCAR_MLM_COMPANY_LEGAL_NAME")
                            or get_setting("OSCAR_MLM_COMPANY_NAME")),
        "company_address": "\n".join(str(line) for line in address),
        "company_vat_id": str(get_setting("OSCAR_MLM_COMPANY_VAT_ID") or ""),
        "company_tax_number": str(get_setting("OSCAR_MLM_COMPANY_TAX_NUMBER") or ""),
    }


def _lock_numbers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [CREDIT_NOTE_LOCK])


def issue_credit_notes(*, period=None, member=None, today=None):
    """Credit notes for closed statements with a positive total that have none yet.

    Limited to one ``period`` and/or one ``member``. Distributors without tax
    details are skipped (their note is issued when they enter them).
    Numbers follow each other without gaps, in the order of period and
    member. Returns the notes issued.
    """
    TaxProfile, CreditNote, Statement, Period = _models()
    statements = Statement.objects.filter(period__status=Period.CLOSED, total__gt=0,
                                          member__tax_profile__isnull=False)
    if period is not None:
        statements = statements.filter(period=period)
    if member is not None:
        statements = statements.filter(member=member)
    prefix = str(get_setting("OSCAR_MLM_CREDIT_NOTE_PREFIX"))
    company = company_details()
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock_numbers()
        done = CreditNote.objects.filter(period_id=OuterRef("period_id"),
                                         member_id=OuterRef("member_id"))
        pending = (statements.exclude(Exists(done))
                   .select_related("period", "member__tax_profile")
                   .order_by("period__start", "member_id"))
        last = CreditNote.objects.aggregate(last=Max("sequence"))["last"] or 0
        notes = []
        for statement in pending.iterator(chunk_size=2000):
            profile = statement.member.tax_profile
            amounts = vat_for(statement.total, profile.tax_status)
            last += 1
            notes.append(CreditNote(
                period=statement.period, member=statement.member, sequence=last,
                number=f"{prefix}{last:06d}", issued=today, currency=statement.currency,
                net=amounts.net, vat_rate=amounts.rate, vat=amounts.vat, gross=amounts.gross,
                tax_status=profile.tax_status, vat_id=profile.vat_id,
                tax_number=profile.tax_number, name=profile.name,
                address="\n".join([profile.street, f"{profile.postcode} {profile.city}",
                                   profile.country]),
                **company,
            ))
        try:
            with transaction.atomic():
                CreditNote.objects.bulk_create(notes, batch_size=2000)
        except IntegrityError:
            # Only where the numbering lock is missing (SQLite serialises writers anyway).
            raise InvalidTaxProfile(_("Credit notes are being issued elsewhere; try again.")
                                    ) from None
    return notes


def credit_note_for(period, member):
    _TaxProfile, CreditNote, *_rest = _models()
    return CreditNote.objects.filter(period=period, member=member).first()


# -- reads for the account area and the payout list ---------------------------------------------


def statements_of(member):
    """The member's statements, newest period first (open periods only once run)."""
    _TaxProfile, _CreditNote, Statement, _Period = _models()
    return (Statement.objects.filter(member=member).select_related("period")
            .order_by("-period__start"))


def lines_page(period, member, *, after=None, per_page=100):
    """One page of the lines of which ``member`` is the beneficiary, by id (keyset)."""
    Line = get_model("mlm_commissions", "CommissionLine")
    lines = Line.objects.filter(period=period, beneficiary=member)
    if after:
        lines = lines.filter(id__gt=after)
    rows = list(lines.select_related("order", "buyer__user", "passed_to__user", "corrects",
                                     "period__plan").order_by("id")[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, (rows[-1].pk if more and rows else None)


def paid_by_level(period, member):
    """``[{"level", "count", "volume", "amount"}]`` of the member's paid commission lines."""
    Line = get_model("mlm_commissions", "CommissionLine")
    rows = (Line.objects.filter(period=period, beneficiary=member, paid=True,
                                kind=Line.COMMISSION)
            .values("level").annotate(count=Count("id"), volume=Sum("volume"),
                                      amount=Sum("amount")).order_by("level"))
    return list(rows)


def payout_rows(period):
    """``(statement, credit note or None, tax profile or None, Vat)`` of each statement to pay.

    A statement is paid when its total is positive (a negative total is
    carried forward); streamed in member order.
    """
    TaxProfile, CreditNote, Statement, _Period = _models()
    statements = (Statement.objects.filter(period=period, total__gt=0)
                  .select_related("member__user").order_by("member_id"))
    for chunk in _chunks(statements.iterator(chunk_size=2000), 2000):
        ids = [s.member_id for s in chunk]
        notes = {n.member_id: n for n in CreditNote.objects.filter(period=period,
                                                                    member_id__in=ids)}
        profiles = {p.member_id: p for p in TaxProfile.objects.filter(member_id__in=ids)}
        for statement in chunk:
            note = notes.get(statement.member_id)
            profile = profiles.get(statement.member_id)
            if note is not None:
                amounts = Vat(note.net, note.vat_rate, note.vat, note.gross)
            else:
                amounts = vat_for(statement.total,
                                  profile.tax_status if profile else TaxProfile.SMALL_BUSINESS)
            yield statement, note, profile, amounts


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def period_end_day(period):
    """The last day of ``period`` (its ``end`` is exclusive)."""
    return period.end - dt.timedelta(days=1)
