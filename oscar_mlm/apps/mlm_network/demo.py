"""The demo network of the sandbox (``manage.py mlm_demo_network``).

A fixed set of documented demo logins (see :data:`ADMIN` and :data:`DEMO_PEOPLE`)
plus generated people up to the requested size, below the company root.

The network is first *planned* (a list of :class:`DemoPerson`, deterministic for
a seed) and then *built*, in one transaction:

- small sizes go through :func:`services.create_person`, one person at a time,
  like any other import;
- large sizes are written in batches of raw INSERTs, level by level (a
  sponsor is always written before their recruits). This path keeps the
  invariants of the service: every member has a user, a sponsor that may
  sponsor (the company or an active distributor), a valid unique handle when a
  distributor, and exactly one :class:`SponsorChange` of source ``import``.
  No ``post_save`` signals are sent on this path, so a receiver that reacts
  to new users or members does not run for these people.
"""

import functools
import random
import secrets
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import connection, transaction
from django.db.models.fields import AutoFieldMixin
from django.db.models.functions import Lower
from django.utils import timezone
from oscar.core.loading import get_model

from . import services
from .exceptions import NetworkError
from .validators import validate_handle

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()

#: Above this many members the network is written in bulk.
BULK_THRESHOLD = 1000
#: Rows per batch (and per progress step) on the bulk path.
BATCH_SIZE = 2000
#: Upper limit of ``--size``, against typos that would fill the disk.
MAX_SIZE = 2_000_000
DEFAULT_SIZE = 60
DEFAULT_SEED = 1
#: Share of generated people who are distributors; the rest are customers.
DISTRIBUTOR_SHARE = 0.2
REASON = "Demo network (manage.py mlm_demo_network)"
EMAIL_DOMAIN = "example.com"

DISTRIBUTOR, CUSTOMER = Member.DISTRIBUTOR, Member.CUSTOMER


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    kind: str
    #: Storefront handle of a distributor, else ``None``.
    handle: str | None
    #: Index of the sponsor in the plan; ``None`` means the company root.
    sponsor: int | None
    #: Only the documented demo logins have a password; the others have none.
    password: str | None = None
    #: What the login list says about this person.
    note: str = ""


ADMIN = DemoPerson(
    email="admin@example.com",
    first_name="Ada",
    last_name="Admin",
    kind="staff",
    handle=None,
    sponsor=None,
    password="admin",
    note="staff superuser: dashboard and Django admin (not a network member)",
)

# Anna is the first person of every plan: her user tells that the demo exists.
DEMO_PEOPLE = (
    DemoPerson(
        "anna@example.com",
        "Anna",
        "Albers",
        DISTRIBUTOR,
        "anna",
        None,
        "anna",
        "distributor, storefront handle 'anna', in the company's first line",
    ),
    DemoPerson(
        "ben@example.com",
        "Ben",
        "Brandt",
        DISTRIBUTOR,
        "ben",
        0,
        "ben",
        "distributor, storefront handle 'ben', in Anna's first line",
    ),
    DemoPerson(
        "carla@example.com",
        "Carla",
        "Conti",
        DISTRIBUTOR,
        "carla",
        1,
        "carla",
        "distributor, storefront handle 'carla', in Ben's first line",
    ),
    DemoPerson(
        "dora@example.com",
        "Dora",
        "Demir",
        CUSTOMER,
        None,
        0,
        "dora",
        "customer of Anna",
    ),
    DemoPerson(
        "emil@example.com",
        "Emil",
        "Engel",
        CUSTOMER,
        None,
        2,
        "emil",
        "customer of Carla, four levels below the company",
    ),
)
MARKER_EMAIL = DEMO_PEOPLE[0].email

# fmt: off
FIRST_NAMES = (
    "Lena", "Jonas", "Marie", "Lukas", "Sophie", "Felix", "Hannah", "Paul", "Emma", "Leon",
    "Mia", "Finn", "Lea", "Elias", "Clara", "Noah", "Ida", "Moritz", "Greta", "Jürgen", "Heike",
    "Uwe", "Sabine", "Dirk", "Birgit", "Björn", "Käthe", "Ömer", "Aylin", "Mehmet", "Zeynep",
    "Luca", "Giulia", "Mateo", "Sofía", "Olga", "Ivan", "Kasia", "Piotr", "Aisha", "Omar",
    "Mei", "Hiroshi", "Priya", "Arjun", "Chloé", "Søren", "Ana", "João", "Nadia", "Amir",
    "Fatima", "Daniel", "Sarah", "Thomas", "Julia", "Andrea", "Stefan", "Katrin", "Małgorzata",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
    "Köhler", "Weiß", "Yılmaz", "Kaya", "Demir", "Nowak", "Kowalski", "Rossi", "Russo",
    "García", "Martínez", "Silva", "Santos", "Dubois", "Lefèvre", "Novák", "Horvat", "Jensen",
    "Nielsen", "Petrov", "Ivanova", "Kim", "Nguyen", "Tanaka", "Sato", "Patel", "Khan",
    "Haddad", "O'Brien", "van Dijk", "de Vries", "Łukasik", "Öztürk", "Çelik",
)
# fmt: on

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae"}
)


@functools.lru_cache(maxsize=4096)
def ascii_slug(name, sep=""):
    """``"Jürgen" -> "juergen"``, ``"van Dijk" -> "van<sep>dijk"``: a-z and digits only."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLIT))
    words = ["".join(c for c in word if c.isascii() and c.isalnum()) for word in text.split()]
    return sep.join(w for w in words if w)


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


def validate_size(value):
    """``value`` as a member count, or :class:`ValueError` with a clear message."""
    try:
        size = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"--size must be a whole number, not {value!r}.") from None
    if size < 1:
        raise ValueError(f"--size must be at least 1 (the number of members), not {size}.")
    if size > MAX_SIZE:
        raise ValueError(f"--size can be at most {MAX_SIZE}, not {size}.")
    return size


def validate_seed(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"--seed must be a whole number, not {value!r}.") from None


# -- planning ---------------------------------------------------------------------------------


def plan_network(size, seed=DEFAULT_SEED, taken_emails=(), taken_handles=()):
    """The people of a demo network of ``size`` members, deterministic for ``seed``.

    The fixed demo people come first (as many as fit). Every generated person
    is sponsored by an earlier distributor or the company: one of the newest
    distributors (deep chains), a distributor picked at random, or the sponsor
    of a random earlier member (preferential attachment: wide first lines grow
    wider); a few distributors start new legs below the company. Roughly
    :data:`DISTRIBUTOR_SHARE` of them are distributors. Addresses and handles in
    ``taken_emails``/``taken_handles`` are avoided.
    """
    rng = random.Random(seed)
    taken_emails = {e.lower() for e in taken_emails}
    taken_handles = set(taken_handles)
    plan = list(DEMO_PEOPLE[:size])
    distributors = [i for i, p in enumerate(plan) if p.kind == DISTRIBUTOR]
    email_counts, handle_counts = {}, {}

    def unique(base, counts, taken, fmt):
        n = counts.get(base, 0)
        while True:
            n += 1
            candidate = fmt(base, n)
            if candidate not in taken:
                counts[base] = n
                taken.add(candidate)
                return candidate

    while len(plan) < size:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        kind = DISTRIBUTOR if rng.random() < DISTRIBUTOR_SHARE else CUSTOMER
        sponsor, pick = None, rng.random()
        if kind == DISTRIBUTOR and pick < 0.03:
            sponsor = None  # a new leg in the company's first line
        elif pick < 0.2:
            sponsor = rng.choice(distributors[-3:])  # busy new recruits: deep chains
        elif pick < 0.6:
            sponsor = rng.choice(distributors)
        else:
            sponsor = plan[rng.randrange(len(plan))].sponsor
            if sponsor is None and kind == CUSTOMER:
                sponsor = rng.choice(distributors)
        email = unique(
            f"{ascii_slug(first)}.{ascii_slug(last)}",
            email_counts,
            taken_emails,
            lambda base, n: f"{base}{n if n > 1 else ''}@{EMAIL_DOMAIN}",
        )
        handle = None
        if kind == DISTRIBUTOR:
            handle = unique(
                f"{ascii_slug(first, '-')}-{ascii_slug(last, '-')}",
                handle_counts,
                taken_handles,
                lambda base, n: f"{base}-{n}" if n > 1 else base,
            )
            validate_handle(handle)
            distributors.append(len(plan))
        plan.append(DemoPerson(email, first, last, kind, handle, sponsor))
    return plan


def depths(plan):
    """Level of each planned person below the company (the company's first line is 1)."""
    result = []
    for person in plan:
        result.append(1 if person.sponsor is None else result[person.sponsor] + 1)
    return result


# -- building ---------------------------------------------------------------------------------


@dataclass
class BuildResult:
    members: int
    depth: int
    bulk: bool
    admin_created: bool


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


def build_network(size, seed=DEFAULT_SEED, password=None, bulk=None, progress=None):
    """Build the demo network below the company root, all or nothing.

    ``password`` replaces the documented passwords of every demo login.
    ``bulk`` forces (True) or forbids (False) the bulk path; by default it is
    used above :data:`BULK_THRESHOLD` members. ``progress`` is anything with an
    ``update(n)`` method (a tqdm bar), told about each member written.
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
        if bulk:
            _build_bulk(plan, company, password, progress)
        else:
            _build_with_services(plan, company, password, progress)
    return BuildResult(
        members=len(plan), depth=max(depths(plan)), bulk=bulk, admin_created=admin_created
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


def _build_with_services(plan, company, password, progress):
    members = []
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
            reason=REASON,
            send_welcome=False,
        )
        if person.password:
            member.user.set_password(password or person.password)
            member.user.save(update_fields=["password"])
        members.append(member)
        if progress is not None:
            progress.update(1)
    return members


def _unusable_password():
    # What make_password(None) stores, without its slower random string.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)


def _build_bulk(plan, company, password, progress):
    """Write ``plan`` in batches, level by level, so sponsors exist before recruits.

    Rows go in through ``executemany`` with the values each model field
    prepares for the database (the conversion ``save()`` does), not through
    ``bulk_create``: building model instances and compiling every value, and
    on SQLite the quoting of every parameter when DEBUG is on, took minutes at
    100 000 members. The new primary keys are read back through unique columns.
    """
    now = timezone.now()
    levels = depths(plan)
    order = sorted(range(len(plan)), key=lambda i: (levels[i], i))
    member_pk = {}
    username_field = User._meta.get_field(User.USERNAME_FIELD).attname
    hashed = {}
    user_fields = {f.attname for f in User._meta.concrete_fields}

    for start, end in _batches(order, levels):
        chunk = order[start:end]
        users = []
        for i in chunk:
            person = plan[i]
            if person.password:
                secret = password or person.password
                if secret not in hashed:
                    hashed[secret] = make_password(secret)
                user_password = hashed[secret]
            else:
                user_password = _unusable_password()
            user = {
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "password": user_password,
            }
            if username_field != "email":
                user[username_field] = uuid.uuid4().hex
            if "date_joined" in user_fields:
                user["date_joined"] = now
            users.append(user)
        user_pks = _insert(User, users, key=username_field)

        members = [
            {
                "user_id": user_pk,
                "parent_id": (
                    company.pk if plan[i].sponsor is None else member_pk[plan[i].sponsor]
                ),
                "kind": plan[i].kind,
                "status": Member.ACTIVE,
                "handle": plan[i].handle,
                "joined": now,
                "promoted": now if plan[i].kind == DISTRIBUTOR else None,
                "deactivated": None,
            }
            for i, user_pk in zip(chunk, user_pks, strict=True)
        ]
        member_pks = _insert(Member, members, key="user_id")
        member_pk.update(zip(chunk, member_pks, strict=True))

        _insert(
            SponsorChange,
            [
                {
                    "member_id": pk,
                    "old_sponsor_id": None,
                    "new_sponsor_id": member["parent_id"],
                    "source": SponsorChange.IMPORT,
                    "reason": REASON,
                    "changed_by_id": None,
                    "created": now,
                }
                for member, pk in zip(members, member_pks, strict=True)
            ],
        )
        if progress is not None:
            progress.update(len(chunk))


def _batches(order, levels):
    """``(start, end)`` slices of ``order`` of at most BATCH_SIZE within one level."""
    start = 0
    while start < len(order):
        level = levels[order[start]]
        end = start
        while end < len(order) and end - start < BATCH_SIZE and levels[order[end]] == level:
            end += 1
        yield start, end
        start = end


def _insert(model, rows, key=None):
    """INSERT ``rows`` (dicts by attname) in one go: ``COPY`` or ``executemany``.

    Each value goes through its field's ``get_db_prep_save``, as in ``save()``
    (memoised: most values repeat). Fields a row leaves out get their default,
    or the current time if ``auto_now``/``auto_now_add``. If ``key`` names a
    unique field, return the new auto primary keys in the order of ``rows``,
    read back through it.
    """
    meta = model._meta
    auto_pk = isinstance(meta.pk, AutoFieldMixin)
    fields = [f for f in meta.concrete_fields if not (auto_pk and f is meta.pk)]
    now = timezone.now()
    missing = {}
    for f in fields:
        if f.attname not in rows[0]:
            auto_time = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            missing[f.attname] = now if auto_time else f.get_default()

    columns = []
    for f in fields:
        cache = {}

        def prepare(value, f=f, cache=cache):
            try:
                return cache[type(value), value]
            except KeyError:
                prepared = cache[type(value), value] = f.get_db_prep_save(value, connection)
                return prepared
            except TypeError:  # unhashable
                return f.get_db_prep_save(value, connection)

        if f.attname in missing:
            value = prepare(missing[f.attname])
            columns.append([value] * len(rows))
        else:
            columns.append([prepare(row[f.attname]) for row in rows])

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(f.column) for f in fields)
    values = zip(*columns, strict=True)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # psycopg 3: COPY streams the rows in one go (executemany waits per row).
            with connection.wrap_database_errors:
                with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
        else:
            # SQLite runs in-process; executemany also skips DEBUG's per-query quoting.
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", list(values)
            )
    if key is None:
        return None
    if not auto_pk:
        return [row[meta.pk.attname] for row in rows]
    keys = [row[key] for row in rows]
    found = {}
    for n in range(0, len(keys), 500):
        found.update(
            model._default_manager.filter(**{f"{key}__in": keys[n : n + 500]}).values_list(
                key, "pk"
            )
        )
    return [found[k] for k in keys]


# -- the sandbox site -------------------------------------------------------------------------


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
