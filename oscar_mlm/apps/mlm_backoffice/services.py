"""Every change of the back office's customer contacts (CRM), one transaction each.

A distributor writes notes, follow-ups and tags about their *own customers* (customers
whose sponsor they are). Each function takes the distributor's member record, checks
the customer is theirs under a row lock on the customer (so a move to another sponsor
cannot slip in between), validates the input and raises a :class:`.exceptions.CrmError`
with a message for the page, changing nothing, on anything it refuses.

Staff read a member's notes only through :func:`read_notes_as_staff`, which logs the
read (the staff dashboard's member page calls it).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import clean_text, parse_id

from .exceptions import CrmError, NotStaff, NotYourCustomer

# Furthest a follow-up may be planned ahead, and how far back a contact may be dated.
MAX_DAYS_AHEAD = 5 * 366
EARLIEST_CONTACT = dt.date(2000, 1, 1)
MAX_TAGS = 10
TAG_LENGTH = 40


def _models():
    return (
        get_model("mlm_network", "Member"),
        get_model("mlm_backoffice", "CustomerNote"),
        get_model("mlm_backoffice", "FollowUp"),
        get_model("mlm_backoffice", "CustomerTag"),
    )


def _lock_own_customer(distributor, customer):
    """The customer's row, locked, if it is one of ``distributor``'s own customers."""
    Member, *_rest = _models()
    pk = customer if isinstance(customer, int) else getattr(customer, "pk", None)
    locked = Member.objects.select_for_update().filter(pk=pk).first() if pk else None
    if (
        distributor is None
        or not distributor.is_distributor
        or locked is None
        or locked.parent_id != distributor.pk
        or not locked.is_customer
    ):
        raise NotYourCustomer()
    return locked


def _text(value, max_length, what, required=True):
    text = clean_text(value, max_length)
    if text is None:
        raise CrmError(
            _(
                "%(what)s is too long (at most %(max)s characters) or holds a character that "
                "cannot be stored."
            )
            % {"what": what, "max": max_length}
        )
    if required and not text:
        raise CrmError(_("%(what)s is empty.") % {"what": what})
    return text


def _date(value, what):
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise CrmError(_("%(what)s is not a date.") % {"what": what})
    return value


def add_note(*, distributor, customer, channel, text, contacted=None):
    """A note about a contact with one of the distributor's own customers."""
    _Member, CustomerNote, _FollowUp, _Tag = _models()
    if channel not in dict(CustomerNote.CHANNEL_CHOICES):
        raise CrmError(_("Choose how you were in contact: call, e-mail, visit or message."))
    text = _text(text, int(get_setting("OSCAR_MLM_CRM_NOTE_MAX_LENGTH")), _("The note"))
    today = timezone.localdate()
    contacted = today if contacted is None else _date(contacted, _("The date of contact"))
    if contacted > today:
        raise CrmError(_("The date of contact lies in the future."))
    if contacted < EARLIEST_CONTACT:
        raise CrmError(_("The date of contact is too far in the past."))
    with transaction.atomic():
        customer = _lock_own_customer(distributor, customer)
        return CustomerNote.objects.create(
            distributor=distributor,
            customer=customer,
            channel=channel,
            contacted=contacted,
            text=text,
        )


def add_follow_up(*, distributor, customer, due, text):
    """A date on which to contact one of the distributor's own customers again."""
    _Member, _Note, FollowUp, _Tag = _models()
    text = _text(text, FollowUp._meta.get_field("text").max_length, _("What to do"))
    due = _date(due, _("The due date"))
    today = timezone.localdate()
    if due < today:
        raise CrmError(_("The due date lies in the past."))
    if due > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise CrmError(_("The due date is too far ahead (at most five years)."))
    with transaction.atomic():
        customer = _lock_own_customer(distributor, customer)
        return FollowUp.objects.create(
            distributor=distributor, customer=customer, due=due, text=text
        )


def complete_follow_up(*, distributor, follow_up, now=None):
    """Mark one of the distributor's follow-ups done; done already: unchanged."""
    _Member, _Note, FollowUp, _Tag = _models()
    pk = parse_id(getattr(follow_up, "pk", follow_up))
    with transaction.atomic():
        found = (
            FollowUp.objects.select_for_update().filter(pk=pk, distributor=distributor).first()
            if pk is not None and distributor is not None
            else None
        )
        if found is None:
            raise CrmError(_("This follow-up does not exist."))
        if found.done is None:
            found.done = now or timezone.now()
            found.save(update_fields=["done"])
        return found


def parse_tags(value):
    """Tag names from ``"vip, skin care"`` or a list: trimmed, inner spaces collapsed,
    repeats (in any case) dropped, in the order given."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    names, seen = [], set()
    for item in items:
        name = " ".join(str(item).split())
        if not name:
            continue
        if "\x00" in name or len(name) > TAG_LENGTH:
            raise CrmError(
                _("A tag has at most %(max)s characters: %(tag)s")
                % {"max": TAG_LENGTH, "tag": name[:TAG_LENGTH] + "…"}
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_TAGS:
        raise CrmError(_("At most %(max)s tags per customer.") % {"max": MAX_TAGS})
    return names


def set_tags(*, distributor, customer, tags):
    """Give one of the distributor's own customers exactly ``tags`` (names or ``"a, b"``).

    Tags are the distributor's own list: a new name adds a tag to it, a tag no customer
    carries any more leaves it. Returns the customer's tags.
    """
    _Member, _Note, _FollowUp, CustomerTag = _models()
    names = parse_tags(tags)
    with transaction.atomic():
        customer = _lock_own_customer(distributor, customer)
        wanted = [_tag(CustomerTag, distributor, name) for name in names]
        current = set(CustomerTag.objects.filter(distributor=distributor, customers=customer))
        for tag in current - set(wanted):
            tag.customers.remove(customer)
        for tag in wanted:
            if tag not in current:
                tag.customers.add(customer)
        CustomerTag.objects.filter(distributor=distributor, customers=None).delete()
        return sorted(wanted, key=lambda tag: tag.name.casefold())


def _tag(CustomerTag, distributor, name):
    existing = CustomerTag.objects.filter(distributor=distributor, name__iexact=name).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CustomerTag.objects.create(distributor=distributor, name=name)
    except IntegrityError:  # the same tag created at the same moment (another tab)
        return CustomerTag.objects.get(distributor=distributor, name__iexact=name)


@dataclass
class NotesForStaff:
    """What :func:`read_notes_as_staff` shows: notes ``member`` wrote (as a distributor)
    and notes written about ``member`` (as a customer), newest first."""

    member: object
    written: list = field(default_factory=list)
    about: list = field(default_factory=list)
    read: object = None  # the NoteRead row that logged this read


def read_notes_as_staff(*, staff_user, member, reason="", limit=100):
    """The CRM notes of ``member`` for a staff member's support work, and a log row of it.

    Distributors' notes are private; staff may read them for support, and every read is
    logged (``NoteRead``: who, when, whose notes, how many, why). Refuses users who are
    not staff (:class:`.exceptions.NotStaff`). ``limit`` caps each list.
    """
    _Member, CustomerNote, _FollowUp, _Tag = _models()
    NoteRead = get_model("mlm_backoffice", "NoteRead")
    if staff_user is None or not getattr(staff_user, "is_staff", False):
        raise NotStaff()
    reason = _text(reason, NoteRead._meta.get_field("reason").max_length, _("The reason"),
                   required=False)  # fmt: skip
    limit = max(1, int(limit))
    with transaction.atomic():
        notes = CustomerNote.objects.select_related("distributor__user", "customer__user")
        written = list(notes.filter(distributor=member)[:limit])
        about = list(notes.filter(customer=member)[:limit])
        read = NoteRead.objects.create(
            staff=staff_user,
            member=member,
            notes=len({n.pk for n in written + about}),
            reason=reason,
        )
    return NotesForStaff(member=member, written=written, about=about, read=read)


def notes_of_read(*, staff_user, member, read_id, limit=100, within_minutes=10):
    """The notes a staff member's logged read just showed (the page after its POST), or
    ``None``: only for the read's own staff member and member, for ``within_minutes``;
    after that a new read (and log row) is needed."""
    _Member, CustomerNote, _FollowUp, _Tag = _models()
    NoteRead = get_model("mlm_backoffice", "NoteRead")
    since = timezone.now() - dt.timedelta(minutes=within_minutes)
    read = NoteRead.objects.filter(
        pk=read_id, staff_id=getattr(staff_user, "pk", None), member=member, created__gte=since
    ).first()
    if read is None:
        return None
    notes = CustomerNote.objects.select_related("distributor__user", "customer__user")
    written = list(notes.filter(distributor=member)[:limit])
    about = list(notes.filter(customer=member)[:limit])
    return NotesForStaff(member=member, written=written, about=about, read=read)
