"""The documented demo logins and the names generated people get."""

import functools
import unicodedata
from dataclasses import dataclass

DISTRIBUTOR, CUSTOMER = "distributor", "customer"
EMAIL_DOMAIN = "example.com"


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

# Anna is the first person of every demo plan: her user tells that the demo exists.
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
