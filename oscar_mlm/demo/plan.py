"""Planning a network: who sponsors whom, before anything is written.

A :class:`NetworkPlan` is a list of people in columns (one list per field,
so a million people fit in memory), deterministic for its seed. A sponsor
always comes before their recruits; a sponsor is ``None`` (the company root)
or the index of an earlier distributor. Shapes are made by combining
``add``, ``add_children``, ``add_tree``, ``add_chain`` and ``grow``;
:func:`plan_network` is the demo network's shape.
"""

import random

from oscar_mlm.apps.mlm_network.validators import validate_handle

from .people import (
    CUSTOMER,
    DEMO_PEOPLE,
    DISTRIBUTOR,
    EMAIL_DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    DemoPerson,
    ascii_slug,
)

DEFAULT_SEED = 1
#: Share of generated people who are distributors in the demo network; the rest are customers.
DISTRIBUTOR_SHARE = 0.2
#: Share of generated distributors who start a new leg in the company's first line.
NEW_LEG_SHARE = 0.03
_FIELDS = ("emails", "first_names", "last_names", "kinds", "handles", "sponsors", "passwords",
           "notes")  # fmt: skip


class NetworkPlan:
    """People to create, in order; see the module's docstring.

    ``taken_emails``/``taken_handles`` are avoided by generated people
    (e-mail addresses compared in lower case).
    """

    def __init__(self, seed=DEFAULT_SEED, *, email_domain=EMAIL_DOMAIN, taken_emails=(),
                 taken_handles=()):  # fmt: skip
        self.rng = random.Random(seed)
        self.email_domain = email_domain
        for name in _FIELDS:
            setattr(self, name, [])
        #: Indices of the distributors, in plan order.
        self.distributors = []
        self._taken_emails = {e.lower() for e in taken_emails}
        self._taken_handles = set(taken_handles)
        self._email_counts, self._handle_counts = {}, {}

    def __len__(self):
        return len(self.kinds)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return DemoPerson(*(getattr(self, name)[index] for name in _FIELDS))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other):
        if not isinstance(other, NetworkPlan):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _FIELDS)

    # -- adding people -----------------------------------------------------------------------

    def add(self, *, sponsor=None, kind=CUSTOMER, first_name=None, last_name=None, email=None,
            handle=None, password=None, note=""):  # fmt: skip
        """Add one person below ``sponsor`` (an index, ``None``: the company); their index.

        Names, address and (for a distributor) handle are generated when not given.
        """
        if kind not in (DISTRIBUTOR, CUSTOMER):
            raise ValueError(f"kind must be {DISTRIBUTOR!r} or {CUSTOMER!r}, not {kind!r}")
        if sponsor is not None and self.kinds[sponsor] != DISTRIBUTOR:
            raise ValueError(f"plan index {sponsor} is not a distributor and cannot sponsor")
        first = first_name or self.rng.choice(FIRST_NAMES)
        last = last_name or self.rng.choice(LAST_NAMES)
        if email is None:
            email = self._unique(
                f"{ascii_slug(first)}.{ascii_slug(last)}",
                self._email_counts,
                self._taken_emails,
                lambda base, n: f"{base}{n if n > 1 else ''}@{self.email_domain}",
            )
        else:
            self._taken_emails.add(email.lower())
        if kind == DISTRIBUTOR:
            if handle is None:
                handle = self._unique(
                    f"{ascii_slug(first, '-')}-{ascii_slug(last, '-')}",
                    self._handle_counts,
                    self._taken_handles,
                    lambda base, n: f"{base}-{n}" if n > 1 else base,
                )
                validate_handle(handle)
            else:
                self._taken_handles.add(handle)
            self.distributors.append(len(self))
        for name, value in zip(
            _FIELDS, (email, first, last, kind, handle, sponsor, password, note), strict=True
        ):
            getattr(self, name).append(value)
        return len(self) - 1

    def add_people(self, people):
        """Add fixed :class:`DemoPerson` s; their ``sponsor`` indices are positions in this plan."""
        for p in people:
            self.add(sponsor=p.sponsor, kind=p.kind, first_name=p.first_name,
                     last_name=p.last_name, email=p.email, handle=p.handle, password=p.password,
                     note=p.note)  # fmt: skip

    def add_children(self, sponsor, count, kind=CUSTOMER):
        """``count`` people directly below ``sponsor``; their indices."""
        start = len(self)
        for _ in range(count):
            self.add(sponsor=sponsor, kind=kind)
        return range(start, len(self))

    def add_tree(self, head, size, fanout=3):
        """A complete ``fanout``-ary tree of ``size`` people below ``head``.

        Inner people are distributors, leaves customers; indices in breadth-first order.
        """
        start = len(self)
        for k in range(1, size + 1):
            parent = head if k <= fanout else start + (k - 1) // fanout - 1
            inner = fanout * k + 1 <= size
            self.add(sponsor=parent, kind=DISTRIBUTOR if inner else CUSTOMER)
        return range(start, len(self))

    def add_chain(self, sponsor, length):
        """``length`` distributors, each below the one before; the first below ``sponsor``."""
        start = len(self)
        for _ in range(length):
            sponsor = self.add(sponsor=sponsor, kind=DISTRIBUTOR)
        return range(start, len(self))

    def grow(self, count, *, distributor_share=DISTRIBUTOR_SHARE, new_leg_share=NEW_LEG_SHARE,
             pool=None):  # fmt: skip
        """Add ``count`` people the way networks grow; their indices.

        Each is sponsored by one of the newest distributors (deep chains), a
        distributor picked at random, or the sponsor of someone placed earlier
        (preferential attachment: wide first lines grow wider); a few new
        distributors start legs below the company. ``pool`` limits the
        sponsors to these distributors and the ones grown here (default: every
        distributor of the plan), so other parts of a plan keep their shape.
        """
        rng = self.rng
        if pool is None:
            candidates = list(self.distributors)
            placed = list(self.sponsors)
        else:
            candidates = [i for i in pool if self.kinds[i] == DISTRIBUTOR]
            placed = list(candidates)
        if not candidates and new_leg_share <= 0:
            raise ValueError("grow needs a distributor to sponsor people, or new legs")
        start = len(self)
        for _ in range(count):
            kind = DISTRIBUTOR if rng.random() < distributor_share else CUSTOMER
            sponsor, pick = None, rng.random()
            if kind == DISTRIBUTOR and (pick < new_leg_share or not candidates):
                sponsor = None  # a new leg in the company's first line
            elif not candidates:
                kind = DISTRIBUTOR  # nobody can sponsor a customer yet
            elif pick < 0.2:
                sponsor = rng.choice(candidates[-3:])  # busy new recruits: deep chains
            elif pick < 0.6:
                sponsor = rng.choice(candidates)
            else:
                sponsor = placed[rng.randrange(len(placed))] if placed else None
                if sponsor is None and kind == CUSTOMER:
                    sponsor = rng.choice(candidates)
            index = self.add(sponsor=sponsor, kind=kind)
            placed.append(sponsor)
            if kind == DISTRIBUTOR:
                candidates.append(index)
        return range(start, len(self))

    # -- reading -----------------------------------------------------------------------------

    def depths(self):
        """Level of each planned person below the company (the company's first line is 1)."""
        result = []
        for sponsor in self.sponsors:
            result.append(1 if sponsor is None else result[sponsor] + 1)
        return result

    def _unique(self, base, counts, taken, fmt):
        n = counts.get(base, 0)
        while True:
            n += 1
            candidate = fmt(base, n)
            if candidate not in taken:
                counts[base] = n
                taken.add(candidate)
                return candidate


def plan_network(size, seed=DEFAULT_SEED, taken_emails=(), taken_handles=()):
    """The demo network of ``size`` members: the fixed demo people first, then :meth:`grow`."""
    plan = NetworkPlan(seed, taken_emails=taken_emails, taken_handles=taken_handles)
    plan.add_people(DEMO_PEOPLE[:size])
    plan.grow(size - len(plan))
    return plan
