"""Writing a :class:`~oscar_mlm.demo.plan.NetworkPlan` into the database.

Two ways, both below the company root and both leaving the same network:

- :func:`write_network` writes users, members and their audit rows in bulk
  (``COPY`` on PostgreSQL): a million members in about a minute. It keeps
  the invariants of :func:`services.create_person`: every member has a user,
  a sponsor that may sponsor (the company or an active distributor), a valid
  unique handle when a distributor, and exactly one :class:`SponsorChange` of
  source ``import``. No signals are sent, so receivers of new users or
  members do not run for these people.
- :func:`write_with_services` creates one person at a time through
  :func:`services.create_person`, like any other import (small plans).
"""

import random
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services

from . import bulk
from .people import DISTRIBUTOR
from .plan import DEFAULT_SEED

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()

REASON = "Demo network (manage.py mlm_demo_network)"
#: Rows per batch (and per progress step) when writing in bulk.
BATCH_SIZE = 20_000


@dataclass
class WrittenNetwork:
    """Where the plan went: ``member_ids[i]`` and ``user_ids[i]`` belong to ``plan[i]``."""

    company_id: int
    member_ids: list
    user_ids: list


def write_network(plan, *, company=None, password=None, joined=None, scatter=False,
                  seed=DEFAULT_SEED, reason=REASON, progress=None):  # fmt: skip
    """Write ``plan`` in bulk, in one transaction; a :class:`WrittenNetwork`.

    ``password`` replaces the passwords of planned people who have one (the
    others get an unusable password). ``joined`` (default: now) is the join
    time of everyone and the time of their audit row. ``scatter`` shuffles
    the primary keys (by ``seed``), so the rows of one branch lie all over the
    table, as in a shop that has grown for years. ``progress`` is anything
    with an ``update(n)`` method (a tqdm bar), told about each member written.
    """
    joined = joined or timezone.now()
    size = len(plan)
    user_fields = {f.attname for f in User._meta.concrete_fields}
    username_field = User._meta.get_field(User.USERNAME_FIELD).attname
    username_prefix = f"demo-{secrets.token_hex(4)}-"
    hashed = {}

    def password_of(secret):
        if not secret:
            return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)
        secret = password or secret
        if secret not in hashed:
            hashed[secret] = make_password(secret)
        return hashed[secret]

    with transaction.atomic():
        company = company or services.ensure_company()
        user_ids = bulk.reserve_ids(User, size)
        member_ids = bulk.reserve_ids(Member, size)
        if scatter:
            shuffled = list(range(size))
            random.Random(seed).shuffle(shuffled)
            user_ids = [user_ids[k] for k in shuffled]
            member_ids = [member_ids[k] for k in shuffled]
        for start in range(0, size, BATCH_SIZE):
            part = slice(start, min(size, start + BATCH_SIZE))
            count = part.stop - part.start
            ids = user_ids[part]
            users = {
                "id": ids,
                "email": plan.emails[part],
                "password": [password_of(p) for p in plan.passwords[part]],
            }
            if username_field != "email":
                users[username_field] = [f"{username_prefix}{pk}" for pk in ids]
            for name, column in (("first_name", plan.first_names), ("last_name", plan.last_names)):
                if name in user_fields:
                    users[name] = column[part]
            if "date_joined" in user_fields:
                users["date_joined"] = joined
            bulk.insert(User, count, users)

            kinds = plan.kinds[part]
            parents = [company.pk if s is None else member_ids[s] for s in plan.sponsors[part]]
            bulk.insert(
                Member,
                count,
                {
                    "id": member_ids[part],
                    "user_id": ids,
                    "parent_id": parents,
                    "kind": kinds,
                    "status": Member.ACTIVE,
                    "handle": plan.handles[part],
                    "joined": joined,
                    "promoted": [joined if k == DISTRIBUTOR else None for k in kinds],
                    "deactivated": None,
                    "attribution": "import",
                    "attributed_storefront_id": None,
                    "attributed": joined,
                },
            )
            bulk.insert(
                SponsorChange,
                count,
                {
                    "member_id": member_ids[part],
                    "old_sponsor_id": None,
                    "new_sponsor_id": parents,
                    "source": SponsorChange.IMPORT,
                    "reason": reason,
                    "changed_by_id": None,
                    "created": joined,
                },
            )
            if progress is not None:
                progress.update(count)
    return WrittenNetwork(company.pk, member_ids, user_ids)


def write_with_services(plan, *, company=None, password=None, reason=REASON, progress=None):
    """Create ``plan`` one person at a time through ``services.create_person``."""
    members = []
    with transaction.atomic():
        company = company or services.ensure_company()
        for person in plan:
            sponsor = company if person.sponsor is None else members[person.sponsor]
            member = services.create_person(
                email=person.email,
                sponsor=sponsor,
                first_name=person.first_name,
                last_name=person.last_name,
                kind=person.kind,
                handle=person.handle,
                source=SponsorChange.IMPORT,
                reason=reason,
                send_welcome=False,
            )
            if person.password:
                member.user.set_password(password or person.password)
                member.user.save(update_fields=["password"])
            members.append(member)
            if progress is not None:
                progress.update(1)
    return WrittenNetwork(
        company.pk, [m.pk for m in members], [m.user_id for m in members]
    )
