"""The commission computation: volumes, qualification, lines and statements.

Pure and in memory: no database, no Django. The inputs are arrays (the
structure of the period, the period's sales grouped per order and owner, the
corrections to make, the balances carried), the output is arrays, so a run
over a million members is a few vectorised passes instead of a walk per
member. Money is integer cents (``int64``) and rates are percent times
10 000, so every figure is exact; each share is rounded once, half up
(away from zero), like :func:`oscar_mlm.money.quantize`.

The rules are COMMISSIONS.md's, documented in docs/commissions.rst.
"""

import hashlib
from dataclasses import dataclass, field

import numpy as np

# A rate of 1 % is 10 000 rate units; a share is volume (cents) x rate units / RATE_DIVISOR.
RATE_SCALE = 10_000
RATE_DIVISOR = 100 * RATE_SCALE
# |volume| x rate must stay within int64: 4e12 cents x 1e6 (100 %) x 2 < 9.2e18.
MAX_CENTS = 4 * 10**12

# Line kinds and reasons; the same numbers as CommissionLine's choices.
COMMISSION, CORRECTION = 1, 2
PAID, NOT_QUALIFIED, INACTIVE, NOT_DISTRIBUTOR, BEYOND_CAP, NOT_COMMISSIONABLE, NO_RATE = range(7)

LINE_DTYPE = np.dtype(
    [
        ("kind", "<i2"),
        ("order", "<i8"),
        ("buyer", "<i8"),  # 0: none
        ("owner", "<i8"),
        ("beneficiary", "<i8"),
        ("level", "<i2"),
        ("distance", "<i2"),
        ("volume", "<i8"),  # cents
        ("rate", "<i8"),  # percent x 10 000
        ("amount", "<i8"),  # cents
        ("paid", "<i1"),
        ("reason", "<i2"),
        ("passed_to", "<i8"),  # 0: none
        ("corrects", "<i8"),  # 0: none
    ]
)

# Orders per chunk of line generation: bounds the memory of the lines in flight.
CHUNK = 250_000


class EngineError(ValueError):
    """Inputs the computation cannot accept (a cycle, an unknown owner, an overflow)."""


@dataclass
class Plan:
    """A plan version as the engine needs it."""

    levels: int
    rates: np.ndarray  # int64 rate units per level, level 1 first
    own_rate: int  # rate units
    minimum: int  # cents
    compression: bool

    def digest(self):
        return (
            f"{self.levels}|{','.join(map(str, self.rates.tolist()))}|{self.own_rate}|"
            f"{self.minimum}|{int(self.compression)}"
        )


@dataclass
class Structure:
    """The network of the period above the owners (rule 4): distributors and the company.

    ``ids`` is sorted; ``parent`` holds indexes into it (-1: none).
    """

    ids: np.ndarray  # int64 member ids, sorted
    parent: np.ndarray  # int64 index of the sponsor, -1 for none
    distributor: np.ndarray  # bool
    active: np.ndarray  # bool
    company: int = -1  # index of the company, -1 if absent
    # Who gets a statement even without a line: the distributors (not those who joined later).
    listed: np.ndarray = None

    def __post_init__(self):
        if self.listed is None:
            self.listed = self.distributor.copy()

    @classmethod
    def from_ids(cls, ids, parent_ids, distributor, active, company_id=None, listed=None):
        """Build from member ids; ``parent_ids`` uses 0 (or an unknown id) for none."""
        ids = np.asarray(ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        ids = ids[order]
        if len(ids) > 1 and (np.diff(ids) == 0).any():
            raise EngineError("a member appears twice in the structure")
        parent_ids = np.asarray(parent_ids, dtype=np.int64)[order]
        parent = index_of(ids, parent_ids)
        company = -1
        if company_id is not None:
            found = index_of(ids, np.array([company_id], dtype=np.int64))[0]
            company = int(found)
        return cls(
            ids=ids,
            parent=parent,
            distributor=np.asarray(distributor, dtype=bool)[order],
            active=np.asarray(active, dtype=bool)[order],
            company=company,
            listed=None if listed is None else np.asarray(listed, dtype=bool)[order],
        )

    def __len__(self):
        return len(self.ids)


@dataclass
class Sales:
    """A period's volume grouped per order and owner (refunds in the period netted)."""

    order: np.ndarray  # int64
    owner: np.ndarray  # int64 member id
    buyer: np.ndarray  # int64 member id, 0: none (guest)
    volume: np.ndarray  # int64 cents of commissionable volume
    other: np.ndarray  # int64 cents of the value of products that are not commissionable

    @classmethod
    def group(cls, order, owner, buyer, commissionable, volume, value):
        """Group record rows (sales and netted refunds) per (order, owner)."""
        order = np.asarray(order, dtype=np.int64)
        owner = np.asarray(owner, dtype=np.int64)
        buyer = np.asarray(buyer, dtype=np.int64)
        commissionable = np.asarray(commissionable, dtype=bool)
        volume = np.where(commissionable, np.asarray(volume, dtype=np.int64), 0)
        other = np.where(commissionable, 0, np.asarray(value, dtype=np.int64))
        if len(order) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, empty)
        keys = np.lexsort((owner, order))
        order, owner, buyer = order[keys], owner[keys], buyer[keys]
        volume, other = volume[keys], other[keys]
        start = np.ones(len(order), dtype=bool)
        start[1:] = (order[1:] != order[:-1]) | (owner[1:] != owner[:-1])
        first = np.flatnonzero(start)
        return cls(
            order=order[first],
            owner=owner[first],
            buyer=np.maximum.reduceat(buyer, first),
            volume=np.add.reduceat(volume, first),
            other=np.add.reduceat(other, first),
        )

    def __len__(self):
        return len(self.order)


@dataclass
class Corrections:
    """Refunds after close (rule 7): one row per paid line to reverse, per refunded order."""

    order: np.ndarray
    owner: np.ndarray
    buyer: np.ndarray
    beneficiary: np.ndarray
    level: np.ndarray
    distance: np.ndarray
    rate: np.ndarray  # rate units of the line reversed
    volume: np.ndarray  # refunded volume, cents, negative
    corrects: np.ndarray  # id of the closed period

    @classmethod
    def empty(cls):
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, z, z, z, z, z, z)

    def __len__(self):
        return len(self.order)


@dataclass
class Result:
    """Statements (one row per member, sorted by id) and lines of one computation."""

    plan: Plan
    member: np.ndarray
    personal_volume: np.ndarray
    own_volume: np.ndarray
    end_customer_volume: np.ndarray
    group_volume: np.ndarray
    group_volume_levels: np.ndarray  # (members, levels)
    active: np.ndarray
    qualified: np.ndarray
    commission: np.ndarray
    corrections: np.ndarray
    opening_balance: np.ndarray
    total: np.ndarray
    lines: np.ndarray  # LINE_DTYPE, in canonical order (see line_sort_keys)
    orders: int = 0
    checksum: str = ""
    extra: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.member)


def index_of(ids, values):
    """Indexes of ``values`` in the sorted ``ids``; -1 where absent."""
    if len(ids) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    pos = np.searchsorted(ids, values)
    pos = np.minimum(pos, len(ids) - 1)
    return np.where(ids[pos] == values, pos, -1).astype(np.int64)


def share(volume, rate):
    """``volume`` (cents) x ``rate`` (rate units), rounded half up (away from zero) to the cent."""
    x = np.asarray(volume, dtype=np.int64) * np.asarray(rate, dtype=np.int64)
    return np.sign(x) * ((np.abs(x) * 2 + RATE_DIVISOR) // (2 * RATE_DIVISOR))


def sum_by(index, values, size):
    """``out[i] = sum(values[index == i])`` in exact int64."""
    out = np.zeros(size, dtype=np.int64)
    if len(index):
        np.add.at(out, index, values)
    return out


def depths(structure):
    """Depth of every node (roots 0) by pointer jumping; refuses cycles."""
    n = len(structure)
    parent = structure.parent
    depth = (parent >= 0).astype(np.int64)
    anc = parent.copy()
    for _ in range(64):
        live = anc >= 0
        if not live.any():
            return depth
        idx = np.flatnonzero(live)
        up = anc[idx]
        depth[idx] += depth[up]
        anc[idx] = anc[up]
        if (depth > n).any():
            break
    raise EngineError("the structure contains a cycle")


def _next_qualified(structure, qualified, order_by_depth):
    """``nq[i]``: the nearest qualified node strictly above ``i`` (-1: none before the company)."""
    parent = structure.parent
    nq = np.full(len(structure), -1, dtype=np.int64)
    company = structure.company
    for level_nodes in order_by_depth:  # top down
        p = parent[level_nodes]
        has = p >= 0
        nodes, p = level_nodes[has], p[has]
        if company >= 0:
            keep = p != company
            nodes, p = nodes[keep], p[keep]
        nq[nodes] = np.where(qualified[p], p, nq[p])
    return nq


def _by_depth(depth):
    order = np.argsort(depth, kind="stable")
    sorted_depth = depth[order]
    bounds = np.flatnonzero(np.diff(sorted_depth)) + 1
    return np.split(order, bounds)


def compute(structure, plan, sales, corrections=None, carried=None, progress=None):
    """Compute a period: volumes, qualification, lines, statements.

    ``carried`` is ``(member ids, cents)`` of negative totals carried from the
    previous period. ``progress(n)`` is called with the number of orders done.
    """
    corrections = corrections if corrections is not None else Corrections.empty()
    n = len(structure)
    too_large = len(sales) and max(np.abs(sales.volume).max(), np.abs(sales.other).max())
    if too_large and too_large > MAX_CENTS:
        raise EngineError("an order's volume is too large")
    owner = index_of(structure.ids, sales.owner)
    if (owner < 0).any():
        missing = sales.owner[owner < 0][:5].tolist()
        raise EngineError(f"owners missing from the structure: {missing}")

    # -- volumes (rule 3)
    own_volume = sum_by(owner, sales.volume, n)
    bought = sales.buyer == sales.owner
    personal_volume = sum_by(owner[bought], sales.volume[bought], n)
    end_customer_volume = own_volume - personal_volume

    # -- qualification (rule 5)
    qualified = structure.distributor & structure.active & (own_volume >= plan.minimum)
    if structure.company >= 0:
        qualified[structure.company] = False
    why = np.where(
        qualified,
        PAID,
        np.where(
            ~structure.active,
            INACTIVE,
            np.where(~structure.distributor, NOT_DISTRIBUTOR, NOT_QUALIFIED),
        ),
    ).astype(np.int16)

    # -- group volume, per level and in total
    parent = structure.parent
    child = np.flatnonzero(parent >= 0)
    levels = np.zeros((n, plan.levels), dtype=np.int64)
    below = own_volume
    for k in range(plan.levels):
        below = sum_by(parent[child], below[child], n)
        levels[:, k] = below
    depth = depths(structure)
    layers = _by_depth(depth)
    group_volume = np.zeros(n, dtype=np.int64)
    for nodes in reversed(layers):  # bottom up
        nodes = nodes[parent[nodes] >= 0]
        if len(nodes):
            np.add.at(group_volume, parent[nodes], group_volume[nodes] + own_volume[nodes])

    nq = _next_qualified(structure, qualified, layers) if plan.compression else None

    # -- lines (rule 6), chunk by chunk of orders
    chunks = []
    for start in range(0, len(sales), CHUNK):
        stop = min(start + CHUNK, len(sales))
        chunks.append(
            _lines(structure, plan, sales, owner, qualified, why, nq, start, stop)
        )
        if progress:
            progress(stop - start)
    chunks.append(_correction_lines(corrections))
    lines = np.concatenate(chunks) if chunks else np.zeros(0, dtype=LINE_DTYPE)

    # -- statements (rule 8): every distributor, and whoever has a line or a balance
    members = [structure.ids[structure.listed]]
    members.append(lines["beneficiary"])
    carried_ids, carried_cents = carried if carried is not None else (np.zeros(0), np.zeros(0))
    carried_ids = np.asarray(carried_ids, dtype=np.int64)
    carried_cents = np.asarray(carried_cents, dtype=np.int64)
    members.append(carried_ids)
    member = np.unique(np.concatenate(members))
    if structure.company >= 0:
        member = member[member != structure.ids[structure.company]]
    m = len(member)
    at = index_of(structure.ids, member)
    known = at >= 0

    def spread(values, fill=0):
        out = np.full((m,) + values.shape[1:], fill, dtype=values.dtype)
        out[known] = values[at[known]]
        return out

    where = index_of(member, lines["beneficiary"])
    paid = (lines["kind"] == COMMISSION) & (lines["paid"] == 1)
    commission = sum_by(where[paid], lines["amount"][paid], m)
    corr = lines["kind"] == CORRECTION
    correction_total = sum_by(where[corr], lines["amount"][corr], m)
    opening = np.zeros(m, dtype=np.int64)
    if len(carried_ids):
        opening[index_of(member, carried_ids)] = np.minimum(carried_cents, 0)

    result = Result(
        plan=plan,
        member=member,
        personal_volume=spread(personal_volume),
        own_volume=spread(own_volume),
        end_customer_volume=spread(end_customer_volume),
        group_volume=spread(group_volume),
        group_volume_levels=spread(levels),
        active=spread(structure.active, False),
        qualified=spread(qualified, False),
        commission=commission,
        corrections=correction_total,
        opening_balance=opening,
        total=commission + correction_total + opening,
        lines=lines,
        orders=int(len(sales)),
    )
    result.checksum = checksum(result)
    return result


def _lines(structure, plan, sales, owner_all, qualified, why, nq, start, stop):
    """The lines of sales[start:stop], sorted by order, owner, distance."""
    parent, ids, company = structure.parent, structure.ids, structure.company
    group = np.arange(start, stop, dtype=np.int64)
    owner = owner_all[start:stop]
    volume = sales.volume[start:stop]
    other = sales.other[start:stop]
    live = (owner != company) & ((volume != 0) | (other != 0))
    group, owner, volume, other = group[live], owner[live], volume[live], other[live]
    parts = []

    def emit(g, node, level, distance, rate, paid, reason, passed_to, vol, amount):
        out = np.zeros(len(g), dtype=LINE_DTYPE)
        out["kind"] = COMMISSION
        out["order"] = sales.order[g]
        out["buyer"] = sales.buyer[g]
        out["owner"] = sales.owner[g]
        out["beneficiary"] = ids[node]
        out["level"] = level
        out["distance"] = distance
        out["volume"] = vol
        out["rate"] = rate
        out["amount"] = amount
        out["paid"] = paid
        out["reason"] = reason
        out["passed_to"] = passed_to
        parts.append((g, out))

    def emit_both(g, node, level, distance, rate, paid, reason, passed_to, vol, oth):
        """The commissionable share, and the why-not line of the other products."""
        has = np.flatnonzero(vol != 0)
        if len(has):
            emit(g[has], node[has], level[has], distance, rate[has], paid[has], reason[has],
                 passed_to[has], vol[has], share(vol[has], rate[has]))
        has = np.flatnonzero(oth != 0)
        if len(has):
            k = len(has)
            emit(g[has], node[has], level[has], distance, rate[has], np.zeros(k, np.int8),
                 np.full(k, NOT_COMMISSIONABLE, np.int16), np.zeros(k, np.int64), oth[has],
                 np.zeros(k, np.int64))

    # distance 0: the owner's own volume
    q = qualified[owner]
    own_rate = plan.own_rate
    paid0 = q & (own_rate > 0)
    reason0 = np.where(q, PAID if own_rate > 0 else NO_RATE, why[owner]).astype(np.int16)
    k = len(group)
    emit_both(group, owner, np.zeros(k, np.int64), 0, np.full(k, own_rate, np.int64),
              paid0.astype(np.int8), reason0, np.zeros(k, np.int64), volume, other)

    node = owner.copy()
    next_level = np.ones(k, dtype=np.int64)  # compression: the next level to pay
    distance = 0
    g, vol, oth = group, volume, other
    rates = np.concatenate([plan.rates.astype(np.int64), [0]])
    while len(g):
        distance += 1
        node = parent[node]
        alive = node >= 0
        if company >= 0:
            alive &= node != company
        g, node, vol, oth = g[alive], node[alive], vol[alive], oth[alive]
        next_level = next_level[alive]
        if not len(g):
            break
        level = next_level if plan.compression else np.full(len(g), distance, dtype=np.int64)
        beyond = level > plan.levels
        if beyond.any():
            b = np.flatnonzero(beyond & (vol != 0))
            kb = len(b)
            if kb:
                emit(g[b], node[b], plan.levels + 1, distance, 0, np.zeros(kb, np.int8),
                     np.full(kb, BEYOND_CAP, np.int16), np.zeros(kb, np.int64), vol[b],
                     np.zeros(kb, np.int64))
            keep = ~beyond
            g, node, vol, oth = g[keep], node[keep], vol[keep], oth[keep]
            level, next_level = level[keep], next_level[keep]
            if not len(g):
                break
        q = qualified[node]
        rate = rates[level - 1]
        paid = q & (rate > 0)
        reason = np.where(q, np.where(rate > 0, PAID, NO_RATE), why[node]).astype(np.int16)
        if nq is not None:
            target = nq[node]
            passed = np.where(~q & (target >= 0), ids[np.maximum(target, 0)], 0)
        else:
            passed = np.zeros(len(g), dtype=np.int64)
        emit_both(g, node, level, distance, rate, paid.astype(np.int8), reason, passed, vol, oth)
        if plan.compression:
            next_level = next_level + q
    if not parts:
        return np.zeros(0, dtype=LINE_DTYPE)
    groups = np.concatenate([p[0] for p in parts])
    lines = np.concatenate([p[1] for p in parts])
    keys = np.lexsort(
        (lines["reason"] == NOT_COMMISSIONABLE, lines["distance"], groups)
    )
    return lines[keys]


def _correction_lines(c):
    out = np.zeros(len(c), dtype=LINE_DTYPE)
    if not len(c):
        return out
    out["kind"] = CORRECTION
    out["order"] = c.order
    out["buyer"] = c.buyer
    out["owner"] = c.owner
    out["beneficiary"] = c.beneficiary
    out["level"] = c.level
    out["distance"] = c.distance
    out["volume"] = c.volume
    out["rate"] = c.rate
    out["amount"] = share(c.volume, c.rate)
    out["paid"] = 1
    out["reason"] = PAID
    out["corrects"] = c.corrects
    return out[line_sort_keys(out)]


def line_sort_keys(lines):
    """The canonical order of lines: kind, order, owner, distance, reason, corrected period."""
    return np.lexsort(
        (
            lines["corrects"],
            lines["reason"] == NOT_COMMISSIONABLE,
            lines["distance"],
            lines["owner"],
            lines["order"],
            lines["kind"],
        )
    )


STATEMENT_FIELDS = (
    "member",
    "personal_volume",
    "own_volume",
    "end_customer_volume",
    "group_volume",
    "active",
    "qualified",
    "commission",
    "corrections",
    "opening_balance",
    "total",
)


def checksum(result):
    """SHA-256 of the plan, every statement and every line, in canonical order."""
    h = hashlib.sha256()
    h.update(result.plan.digest().encode())
    for name in STATEMENT_FIELDS:
        h.update(name.encode())
        h.update(np.ascontiguousarray(getattr(result, name), dtype="<i8").tobytes())
    h.update(np.ascontiguousarray(result.group_volume_levels, dtype="<i8").tobytes())
    h.update(np.ascontiguousarray(result.lines, dtype=LINE_DTYPE).tobytes())
    return h.hexdigest()
