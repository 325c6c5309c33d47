"""The demo shop data of ``manage.py mlm_demo_network``: known logins, a network, orders.

A fixed set of documented demo logins (:data:`~.people.ADMIN`,
:data:`~.people.DEMO_PEOPLE`) plus generated people up to the requested
size, below the company root, and optionally orders of the last months.
Everything is written in one transaction, all or nothing. Small networks go
through ``services.create_person`` one person at a time; larger ones
(above :data:`BULK_THRESHOLD`) are written in bulk.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import NetworkError
from oscar_mlm.parsing import MAX_ID, parse_int

from . import network, orders
from .orders import GeneratedOrders
from .people import ADMIN, DEMO_PEOPLE, EMAIL_DOMAIN, MARKER_EMAIL
from .plan import DEFAULT_SEED, plan_network

Member = get_model("mlm_network", "Member")
User = get_user_model()

#: Above this many members the network is written in bulk.
BULK_THRESHOLD = 1000
#: Upper limit of ``--size``, against typos that would fill the disk.
MAX_SIZE = 2_000_000
DEFAULT_SIZE = 60


@dataclass
class BuildResult:
    members: int
    depth: int
    bulk: bool
    admin_created: bool
    orders: GeneratedOrders | None = None


def demo_exists():
    return User._default_manager.filter(email__iexact=MARKER_EMAIL).exists()


def existing_demo_people():
    """The fixed demo people whose users exist, in plan order."""
    emails = set(
        User._default_manager.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=[p.email for p in DEMO_PEOPLE])
        .values_list("lower_email", flat=True)
    )
    return [p for p in DEMO_PEOPLE if p.email in emails]


def _whole_number(value, name):
    number = parse_int(value, -MAX_ID, MAX_ID)
    if number is None:
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    return number


def validate_size(value):
    """``value`` as a member count, or :class:`ValueError` with a clear message."""
    size = _whole_number(value, "--size")
    if size < 1:
        raise ValueError(f"--size must be at least 1 (the number of members), not {size}.")
    if size > MAX_SIZE:
        raise ValueError(f"--size can be at most {MAX_SIZE}, not {size}.")
    return size


def validate_seed(value):
    return _whole_number(value, "--seed")


def validate_orders(value):
    count = _whole_number(value, "--orders")
    if not 0 <= count <= orders.MAX_ORDERS:
        raise ValueError(f"--orders must be 0 to {orders.MAX_ORDERS}, not {count}.")
    return count


def validate_month(value):
    return orders.parse_month(value)


def check_can_build(size):
    """Raise :class:`NetworkError` if the fixed demo logins cannot be created here."""
    fixed = DEMO_PEOPLE[:size]
    emails = [p.email for p in fixed]
    existing = sorted(
        User._default_manager.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .values_list("lower_email", flat=True)
    )
    if existing:
        raise NetworkError(
            f"The demo network cannot be built here: {', '.join(existing)} already exist(s) "
            "but the demo network does not. Use a fresh database."
        )
    handles = [p.handle for p in fixed if p.handle]
    taken = sorted(Member.objects.filter(handle__in=handles).values_list("handle", flat=True))
    if taken:
        raise NetworkError(
            f"The demo network needs the storefront handle(s) {', '.join(taken)}, "
            "which other members already have. Use a fresh database."
        )


def build_demo(size, seed=DEFAULT_SEED, password=None, bulk=None, order_count=0, months=None,
               progress=None, order_progress=None):  # fmt: skip
    """Build the demo network below the company root (and orders), all or nothing.

    ``password`` replaces the documented passwords of every demo login.
    ``bulk`` forces (True) or forbids (False) the bulk path; by default it is
    used above :data:`BULK_THRESHOLD` members. ``order_count`` orders over
    ``months`` (see :func:`orders.generate_orders`) are bought by the
    members, never by the documented logins (unless there is nobody else),
    so the walk-throughs of the docs stay as written. ``progress``/``order_progress``: anything with
    an ``update(n)`` method (a tqdm bar), told about each member and order.
    """
    size = validate_size(size)
    if bulk is None:
        bulk = size > BULK_THRESHOLD
    with transaction.atomic():
        check_can_build(size)
        company = services.ensure_company()
        admin_created = _ensure_admin(password)
        taken_emails = (
            User._default_manager.filter(email__iendswith=f"@{EMAIL_DOMAIN}")
            .annotate(lower_email=Lower("email"))
            .values_list("lower_email", flat=True)
        )
        taken_handles = Member.objects.exclude(handle=None).values_list("handle", flat=True)
        plan = plan_network(size, seed, taken_emails, taken_handles)
        write = network.write_network if bulk else network.write_with_services
        written = write(plan, company=company, password=password, progress=progress)
        generated = None
        if order_count:
            fixed = written.member_ids[: len(DEMO_PEOPLE)]
            buyers = Member.objects.filter(status=Member.ACTIVE).exclude(pk__in=fixed)
            if size <= len(DEMO_PEOPLE):
                buyers = Member.objects.filter(status=Member.ACTIVE)
            generated = orders.generate_orders(
                order_count, months=months, seed=seed, buyers=buyers, progress=order_progress
            )
    return BuildResult(
        members=len(plan),
        depth=max(plan.depths()),
        bulk=bulk,
        admin_created=admin_created,
        orders=generated,
    )


def _ensure_admin(password):
    if User._default_manager.filter(email__iexact=ADMIN.email).exists():
        return False
    username = "admin"
    if User._default_manager.filter(username=username).exists():
        username = uuid.uuid4().hex
    User._default_manager.create_superuser(
        username=username,
        email=ADMIN.email,
        password=password or ADMIN.password,
        first_name=ADMIN.first_name,
        last_name=ADMIN.last_name,
    )
    return True


def configure_site(domain="localhost:8000"):
    """Point the current Site at the sandbox server, if it still is Django's default.

    E-mails (password reset, welcome) build their links from the Site.
    Returns True if the Site was changed.
    """
    Site = get_model("sites", "Site")
    name = str(getattr(settings, "OSCAR_SHOP_NAME", domain))
    changed = Site.objects.filter(pk=settings.SITE_ID, domain="example.com").update(
        domain=domain, name=name
    )
    Site.objects.clear_cache()
    return bool(changed)
