"""Every state change of the sponsor network.

Each function takes explicit arguments, runs in one transaction, locks what
it reads and then writes, audits every sponsor change and raises the errors
of :mod:`.exceptions`. Views, dashboard, API, commands and receivers only
call these.

Locks: moves (staff reassignment, roll-up) take the network lock, a row lock
on the company root, so the cycle check sees every committed move and two
crossing moves cannot both pass. Member rows are then locked in ascending pk
order. A sign-up only adds a leaf, which cannot close a cycle; it locks its
sponsor's row so the sponsor cannot be deactivated under it. Creating a user
locks its e-mail address first (:func:`claim_email`).
"""

from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_model

from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import clean_text, parse_id

from . import emails, tree
from .exceptions import (
    AlreadyErased,
    AlreadyMember,
    CompanyMissing,
    CompanyNotErasable,
    CycleError,
    EmailTaken,
    ErasureReasonRequired,
    HandleTaken,
    InactiveSponsor,
    InvalidHandle,
    InvalidSponsor,
    InvalidStatus,
    NetworkError,
    SameHandle,
    SameSponsor,
    SelfErasure,
    SelfSponsor,
    SponsorRequired,
)
from .signup import (
    COMPANY_SIGNUP_SPONSOR_ID,
    company_policy,
    company_signup_kinds,
    resolve_email,
    self_signup_kind,
)
from .validators import normalise_handle, validate_handle

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
HandleRedirect = get_model("mlm_network", "HandleRedirect")
StatusChange = get_model("mlm_network", "StatusChange")
Erasure = get_model("mlm_network", "Erasure")
User = get_user_model()


DEFAULT_ATTRIBUTION = {
    SponsorChange.SIGNUP: "sponsor_id",
    SponsorChange.INTERNAL: "internal",
    SponsorChange.STAFF: "staff",
    SponsorChange.VOUCHER: "voucher",
    SponsorChange.IMPORT: "import",
}


# -- reads used by the writers ---------------------------------------------------------------


def get_company():
    try:
        return Member.objects.get(kind=Member.COMPANY)
    except Member.DoesNotExist:
        raise CompanyMissing() from None


def find_sponsor(sponsor_id):
    """The member a typed sponsor id names (handle, member number or "#number"), or ``None``."""
    value = (clean_text(sponsor_id, max_length=100) or "").lstrip("#")
    if not value:
        return None
    number = parse_id(value)
    if number is not None:
        found = Member.objects.filter(pk=number).exclude(kind=Member.COMPANY).first()
        if found:
            return found
    return Member.objects.filter(handle=normalise_handle(value)).first()


def check_sponsor(sponsor):
    """Raise unless ``sponsor`` may take on a new member now."""
    if sponsor is None:
        raise SponsorRequired()
    if sponsor.kind not in (Member.COMPANY, Member.DISTRIBUTOR):
        raise InvalidSponsor()
    if sponsor.status != Member.ACTIVE:
        raise InactiveSponsor()


# German spelling rules first; slugify would drop "ß" and turn "ü" into "u".
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def suggest_handle(user):
    """A free handle derived from the user's name or e-mail address."""
    source = (user.get_full_name() or user.email.split("@")[0]).lower().translate(_TRANSLITERATE)
    base = slugify(source)[:40].strip("-")
    if len(base) < get_setting("OSCAR_MLM_HANDLE_MIN_LENGTH"):
        base = f"distributor-{base}".strip("-")
    candidate = base
    while True:
        try:
            validate_handle(candidate)
        except InvalidHandle:
            pass
        else:
            if not Member.objects.filter(handle=candidate).exists():
                return candidate
        candidate = f"{base}-{get_random_string(4, 'abcdefghjkmnpqrstuvwxyz23456789')}"


def check_handle_free(handle, exclude_pk=None):
    """The normalised handle, unless it is invalid, taken, or still forwarding elsewhere."""
    handle = normalise_handle(handle)
    validate_handle(handle)
    taken = Member.objects.filter(handle=handle)
    forwarding = HandleRedirect.objects.filter(old_handle=handle, expires__gt=timezone.now())
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
        forwarding = forwarding.exclude(member_id=exclude_pk)
    if taken.exists() or forwarding.exists():
        raise HandleTaken()
    return handle


# -- locks -----------------------------------------------------------------------------------


def _lock_network():
    try:
        return Member.objects.select_for_update().get(kind=Member.COMPANY)
    except Member.DoesNotExist:
        raise CompanyMissing() from None


def _lock(*pks):
    """Lock the members with these pks in ascending pk order; return {pk: member}."""
    wanted = sorted(set(pks))
    locked = {
        m.pk: m for m in Member.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    if len(locked) != len(wanted):
        raise NetworkError(_("A member was removed while the network was being changed."))
    return locked


def claim_email(email):
    """Inside a transaction: make ``email`` this transaction's, or raise :class:`EmailTaken`.

    Takes a transaction-level lock on the address in any case (PostgreSQL
    advisory lock), so two transactions creating a user with the same address
    at once queue up, and the second sees the first's user. The check is
    ``email__iexact``, served by the ``UPPER(email)`` index (migration ``mlm_network`` 0005).
    """
    if connection.vendor == "postgresql":
        # Python's upper() folds at least what PostgreSQL's UPPER() folds: one key per address.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"mlm-email:{email.upper()}"]
            )
    if User._default_manager.filter(email__iexact=email).exists():
        raise EmailTaken()


def _audit(member, old_sponsor_id, new_sponsor, source, changed_by, reason):
    return SponsorChange.objects.create(
        member=member,
        old_sponsor_id=old_sponsor_id,
        new_sponsor=new_sponsor,
        source=source,
        changed_by=changed_by,
        reason=reason or "",
    )


def _audit_status(member, event, changed_by, reason=""):
    return StatusChange.objects.create(
        member=member, event=event, changed_by=changed_by, reason=reason or ""
    )


def _save_new_member(member):
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        if member.handle and Member.objects.filter(handle=member.handle).exists():
            raise HandleTaken() from None
        if Member.objects.filter(user_id=member.user_id).exists():
            raise AlreadyMember() from None
        raise


# -- writers ---------------------------------------------------------------------------------


def ensure_company():
    """Create the company root of the tree if it does not exist yet."""
    with transaction.atomic():
        company = Member.objects.filter(kind=Member.COMPANY).first()
        if company is None:
            company = Member.objects.create(kind=Member.COMPANY, parent=None)
        return company


def register_member(
    *,
    user,
    sponsor,
    kind=Member.CUSTOMER,
    handle=None,
    source=SponsorChange.SIGNUP,
    changed_by=None,
    reason="",
    attribution=None,
    attributed_storefront=None,
    attributed=None,
):
    """Enter ``user`` into the network below ``sponsor``.

    A distributor without a handle gets one derived from the name.
    ``attribution`` says how the sponsor was found (see ``ATTRIBUTION_CHOICES``);
    by default it follows ``source``.
    """
    if sponsor is None:
        raise SponsorRequired()
    if kind not in (Member.CUSTOMER, Member.DISTRIBUTOR):
        raise NetworkError(_("A person joins as a customer or as a distributor."))
    if kind == Member.CUSTOMER and handle:
        raise InvalidHandle(_("Only distributors have a storefront handle."))
    with transaction.atomic():
        sponsor = _lock(sponsor.pk)[sponsor.pk]
        check_sponsor(sponsor)
        if Member.objects.filter(user=user).exists():
            raise AlreadyMember()
        now = timezone.now()
        if kind == Member.DISTRIBUTOR:
            handle = check_handle_free(handle) if handle else suggest_handle(user)
        member = Member(
            user=user,
            parent=sponsor,
            kind=kind,
            handle=handle or None,
            joined=now,
            promoted=now if kind == Member.DISTRIBUTOR else None,
            attribution=attribution or DEFAULT_ATTRIBUTION.get(source, ""),
            attributed_storefront=attributed_storefront,
            attributed=attributed or now,
        )
        _save_new_member(member)
        _audit(member, None, sponsor, source, changed_by, reason)
    return member


def sign_up(*, user, signup=None, sponsor=None, handle=None, kind=None):
    """Enter a user who just registered: the one sponsor precedence of a sign-up.

    First match wins:

    1. a sponsor bound to the user's e-mail address earlier (the e-mail
       resolvers, e.g. a guest order with a partner's voucher): it sets sponsor
       and attribution, whatever site the person signs up on;
    2. ``signup``, what the request's resolvers answered (the storefront of
       the request, the attribution cookie): ``signup.resolve_signup(request)``;
    3. ``sponsor``, the active sponsor typed on the company site, counted only
       under ``OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"``.

    Otherwise ``SponsorRequired``. The kind (customer or distributor) and the
    handle follow the request (``signup``); on the company site ``kind`` is what
    the person chose among ``OSCAR_MLM_COMPANY_SIGNUP_KINDS`` (a customer
    otherwise). Under ``OSCAR_MLM_DISTRIBUTOR_SIGNUP = "internal"`` every self
    sign-up makes a customer. One transaction, like ``register_member``; a
    refusal leaves no member.
    """
    if signup is not None:
        kind = signup.kind
    elif kind not in company_signup_kinds():
        kind = Member.CUSTOMER
    kind = self_signup_kind(kind)
    placement = {"kind": kind, "handle": handle if kind == Member.DISTRIBUTOR else None}
    found = resolve_email(user.email) or signup
    if found is not None:
        placement.update(
            source=found.source,
            attribution=found.attribution,
            attributed_storefront=found.storefront,
            attributed=found.attributed_at,
        )
        sponsor = found.sponsor
    elif company_policy() == COMPANY_SIGNUP_SPONSOR_ID and sponsor is not None:
        placement.update(source=SponsorChange.SIGNUP, attribution="sponsor_id")
    else:
        raise SponsorRequired()
    return register_member(user=user, sponsor=sponsor, **placement)


def create_person(
    *,
    email,
    sponsor,
    first_name="",
    last_name="",
    kind=Member.CUSTOMER,
    handle=None,
    created_by=None,
    source=SponsorChange.STAFF,
    reason="",
    send_welcome=True,
):
    """Create a user without a password plus their member record.

    Used by staff and by distributors entering people (internal sign-up). The
    person gets an e-mail with a link to set a password, after commit.
    """
    email = normalise_email(email or "")
    if not email:
        raise NetworkError(_("An e-mail address is required."))
    with transaction.atomic():
        claim_email(email)
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        if "username" in [f.name for f in User._meta.fields]:
            from oscar.apps.customer.forms import generate_username

            user.username = generate_username()
        user.set_unusable_password()
        user.save()
        member = register_member(
            user=user,
            sponsor=sponsor,
            kind=kind,
            handle=handle,
            source=source,
            changed_by=created_by,
            reason=reason,
        )
        if send_welcome:
            transaction.on_commit(lambda: emails.send_welcome(member))
    return member


def assign_sponsor(*, member, new_sponsor, changed_by=None, reason="", source=SponsorChange.STAFF):
    """Move ``member`` (with their whole downline) below ``new_sponsor``; audited."""
    if new_sponsor is None:
        raise SponsorRequired()
    if member.pk == new_sponsor.pk:
        raise SelfSponsor()
    with transaction.atomic():
        _lock_network()
        locked = _lock(member.pk, new_sponsor.pk)
        member, new_sponsor = locked[member.pk], locked[new_sponsor.pk]
        _check_move(member, new_sponsor)
        if tree.is_below(new_sponsor, member):
            raise CycleError()
        return _move(member, new_sponsor, source, changed_by, reason)


def _check_move(member, new_sponsor):
    if member.kind == Member.COMPANY:
        raise NetworkError(_("The company is the root of the network and has no sponsor."))
    check_sponsor(new_sponsor)
    if member.parent_id == new_sponsor.pk:
        raise SameSponsor()


class PendingMove(NamedTuple):
    """What :func:`prepare_move` read under the locks, for the caller's rules and the move."""

    member: object  # the user's Member, locked; None if the user is no member
    sponsor: object  # the new sponsor, locked
    sponsor_upline: list  # pks above the new sponsor, its sponsor first

    @property
    def is_below_member(self):
        """Is the new sponsor the member or in the member's downline (a move would cycle)?"""
        return self.member is not None and (
            self.member.pk == self.sponsor.pk or self.member.pk in self.sponsor_upline
        )


def prepare_move(*, user, new_sponsor):
    """Inside the caller's transaction: take the network lock, then lock ``user``'s member
    and ``new_sponsor`` in ascending pk order (one query) and read the new sponsor's upline.

    For a caller that applies rules of its own to the member before moving it
    (a voucher redemption): each of these is read once, after the locks, and
    :func:`complete_move` moves on what was read. The locks are held until the
    caller's transaction ends.
    """
    if new_sponsor is None:
        raise SponsorRequired()
    _lock_network()
    rows = (
        Member.objects.select_for_update()
        .filter(Q(user=user) | Q(pk=new_sponsor.pk))
        .order_by("pk")
    )
    member, sponsor = None, None
    for row in rows:
        if row.pk == new_sponsor.pk:
            sponsor = row
        if row.user_id == user.pk:
            member = row
    if sponsor is None:
        raise NetworkError(_("A member was removed while the network was being changed."))
    return PendingMove(member, sponsor, tree.upline_ids(sponsor))


def complete_move(pending, *, source, changed_by=None, reason=""):
    """Move ``pending.member`` below ``pending.sponsor`` under the locks of :func:`prepare_move`,
    with the rules of :func:`assign_sponsor`; audited."""
    member, new_sponsor = pending.member, pending.sponsor
    if member.pk == new_sponsor.pk:
        raise SelfSponsor()
    _check_move(member, new_sponsor)
    if pending.is_below_member:
        raise CycleError()
    return _move(member, new_sponsor, source, changed_by, reason)


def _move(member, new_sponsor, source, changed_by, reason):
    old_sponsor_id = member.parent_id
    member.parent = new_sponsor
    member.save(update_fields=["parent"])
    return _audit(member, old_sponsor_id, new_sponsor, source, changed_by, reason)


def rename_handle(*, member, new_handle, changed_by=None):
    """Give a distributor a new storefront handle; the old one forwards for a while."""
    with transaction.atomic():
        member = _lock(member.pk)[member.pk]
        if member.kind != Member.DISTRIBUTOR:
            raise InvalidStatus(_("Only distributors have a storefront handle."))
        if normalise_handle(new_handle) == member.handle:
            raise SameHandle()
        new_handle = check_handle_free(new_handle, exclude_pk=member.pk)
        old_handle, member.handle = member.handle, new_handle
        try:
            with transaction.atomic():
                member.save(update_fields=["handle"])
        except IntegrityError:
            raise HandleTaken() from None
        # Taking back an own old handle ends its forwarding.
        HandleRedirect.objects.filter(old_handle=new_handle).delete()
        days = int(get_setting("OSCAR_MLM_HANDLE_REDIRECT_DAYS"))
        HandleRedirect.objects.update_or_create(
            old_handle=old_handle,
            defaults={"member": member, "expires": timezone.now() + timedelta(days=days)},
        )
        _audit_status(
            member,
            StatusChange.RENAMED,
            changed_by,
            _("Storefront name %(old)s changed to %(new)s.")
            % {"old": old_handle, "new": new_handle},
        )
    return member


def promote_to_distributor(*, member, handle=None, changed_by=None, reason=""):
    """Make a customer a distributor, with a storefront handle; audited."""
    with transaction.atomic():
        member = _lock(member.pk)[member.pk]
        if member.kind != Member.CUSTOMER:
            raise InvalidStatus(_("Only a customer can be promoted to distributor."))
        if member.status != Member.ACTIVE:
            raise InvalidStatus(_("An inactive member cannot be promoted."))
        member.handle = (
            check_handle_free(handle, exclude_pk=member.pk)
            if handle
            else suggest_handle(member.user)
        )
        member.kind = Member.DISTRIBUTOR
        member.promoted = timezone.now()
        try:
            with transaction.atomic():
                member.save(update_fields=["handle", "kind", "promoted"])
        except IntegrityError:
            raise HandleTaken() from None
        _audit_status(member, StatusChange.PROMOTED, changed_by, reason)
    return member


def deactivate(*, member, changed_by=None, reason=""):
    """Deactivate a member; a distributor's first line is handled per settings.

    Roll-up moves each member of the first line (of the kinds set to
    ``"roll_up"``) to the nearest *active* member above the deactivated one,
    under the network lock and the rules of every move, one audited sponsor
    change each. Returns those sponsor changes.
    """
    with transaction.atomic():
        _lock_network()
        member = _lock(member.pk)[member.pk]
        if member.kind == Member.COMPANY:
            raise InvalidStatus(_("The company cannot be deactivated."))
        if member.status != Member.ACTIVE:
            raise InvalidStatus(_("The member is already inactive."))
        member.status = Member.INACTIVE
        member.deactivated = timezone.now()
        member.save(update_fields=["status", "deactivated"])
        _audit_status(member, StatusChange.DEACTIVATED, changed_by, reason)
        policy = {
            Member.DISTRIBUTOR: get_setting("OSCAR_MLM_DEACTIVATION_DISTRIBUTORS"),
            Member.CUSTOMER: get_setting("OSCAR_MLM_DEACTIVATION_CUSTOMERS"),
        }
        roll_up = [k for k, v in policy.items() if v == "roll_up"]
        # Read after the member's lock: a sign-up below them has committed or waits.
        children = list(
            Member.objects.filter(parent=member, kind__in=roll_up).values_list("pk", flat=True)
        )
        if not children:
            return []
        # Under the network lock nobody above can change status or sponsor meanwhile.
        new_sponsor_pk = tree.nearest_active_upline_id(member)
        if new_sponsor_pk is None:
            raise CompanyMissing()
        locked = _lock(new_sponsor_pk, *children)
        new_sponsor = locked[new_sponsor_pk]
        why = reason or _("Sponsor %(name)s was deactivated.") % {"name": member.display_name}
        moves = []
        for pk in sorted(children):
            _check_move(locked[pk], new_sponsor)  # moving up never closes a cycle
            moves.append(_move(locked[pk], new_sponsor, SponsorChange.ROLL_UP, changed_by, why))
        return moves


def reactivate(*, member, changed_by=None, reason=""):
    """Reactivate a member; audited. Members rolled up on deactivation stay where they are.

    Under the network lock, as deactivations and moves, so the sponsor read
    here cannot be deactivated or the member moved until this commits.
    """
    with transaction.atomic():
        _lock_network()
        member = _lock(member.pk)[member.pk]
        if member.status == Member.ACTIVE:
            raise InvalidStatus(_("The member is already active."))
        sponsor = Member.objects.get(pk=member.parent_id)
        if sponsor.status != Member.ACTIVE:
            raise InactiveSponsor(
                _("The sponsor of this member is inactive; reassign the member first.")
            )
        member.status = Member.ACTIVE
        member.deactivated = None
        member.save(update_fields=["status", "deactivated"])
        _audit_status(member, StatusChange.REACTIVATED, changed_by, reason)
    return member


def import_members(rows, *, reason="", changed_by=None, progress=None):
    """Enter the users of ``rows`` (:class:`.imports.ImportRow`) in file order, all in one
    transaction: audited as an import (source and attribution ``import``).

    A row's sponsor is a member or an earlier row (entered first). Any error
    rolls the whole import back. ``progress`` is called with 1 per row.
    Returns the new members.
    """
    entered = []
    with transaction.atomic():
        for row in rows:
            sponsor = row.sponsor.member if hasattr(row.sponsor, "member") else row.sponsor
            row.member = register_member(
                user=row.user,
                sponsor=sponsor,
                kind=row.kind,
                handle=row.handle or None,
                source=SponsorChange.IMPORT,
                changed_by=changed_by,
                reason=reason,
                attribution="import",
            )
            entered.append(row.member)
            if progress is not None:
                progress(1)
    return entered


# -- personal data ---------------------------------------------------------------------------

ERASURE_REASON_MAX_LENGTH = 500


def erase_person(*, user, erased_by=None, reason):
    """Erase a person's personal data on request (GDPR art. 17). Cannot be undone.

    The user row stays, pseudonymised and unable to log in, so the member keeps its place
    in the tree (``Member.user`` is required and protected) and orders, credit bookings,
    volume and commission lines stay: the books and other members' figures do not change.
    Every installed app's eraser (:mod:`oscar_mlm.personal_data`) runs in this one
    transaction; the ``Erasure`` row records who did it and why. Returns it.
    """
    from oscar_mlm.personal_data import Person, erasers

    reason = clean_text(reason, max_length=ERASURE_REASON_MAX_LENGTH)
    if not reason:
        raise ErasureReasonRequired()
    with transaction.atomic():
        user = User._default_manager.select_for_update().get(pk=user.pk)
        if erased_by is not None and erased_by.pk == user.pk:
            raise SelfErasure()
        if Erasure.objects.filter(user=user).exists():
            raise AlreadyErased()
        member = Member.objects.select_for_update().filter(user=user).first()
        if member is not None and member.is_company:
            raise CompanyNotErasable()
        handles = []
        if member is not None:
            handles = [
                member.handle,
                *HandleRedirect.objects.filter(member=member).values_list("old_handle", flat=True),
            ]
        person = Person(
            user_id=user.pk,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            username=getattr(user, user.USERNAME_FIELD, "") or "",
            member_id=member.pk if member else None,
            handles=tuple(h for h in handles if h),
        )
        for erase in erasers():
            erase(person)
        return Erasure.objects.create(
            user=user, member=member, erased_by=erased_by, reason=person.scrub(reason)
        )
