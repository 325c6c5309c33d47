"""A deliberately simple reference implementation of the commission rules.

Plain Python and Decimal, one order and one step up the tree at a time,
written straight from COMMISSIONS.md without looking at the engine. The
property tests compare the production run with it.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(x):
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def compute(members, company, orders, plan):
    """``members``: {id: (sponsor id, kind, active)} at the end of the period (customers too).

    ``orders``: [(order id, owner id, buyer id or None, [(volume, commissionable), ...])],
    one entry per order and owner, refunds already netted.
    ``plan``: dict(levels, rates (Decimal percent list), own_rate, minimum, compression).
    Returns (statements {id: dict}, lines [tuple]).
    """
    def is_distributor(m):
        return members[m][1] == "distributor"

    own, personal = {}, {}
    for _order, owner, buyer, parts in orders:
        volume = sum((v for v, c in parts if c), Decimal(0))
        own[owner] = own.get(owner, Decimal(0)) + volume
        if buyer == owner:
            personal[owner] = personal.get(owner, Decimal(0)) + volume

    def qualified(m):
        return (m != company and is_distributor(m) and members[m][2]
                and own.get(m, Decimal(0)) >= plan["minimum"])

    def reason(m):
        if qualified(m):
            return "paid"
        if not members[m][2]:
            return "inactive"
        if not is_distributor(m):
            return "not_distributor"
        return "not_qualified"

    def sponsor(m):
        p = members[m][0]
        return None if p is None or p == company else p

    lines = []
    for order, owner, buyer, parts in orders:
        if owner == company:
            continue
        volume = sum((v for v, c in parts if c), Decimal(0))
        other = sum((v for v, c in parts if not c), Decimal(0))
        path = []  # (member, level, distance, rate, passed_to, beyond)
        path.append((owner, 0, 0, plan["own_rate"], None, False))
        node, distance, level = owner, 0, 1
        while True:
            node = sponsor(node)
            distance += 1
            if node is None:
                break
            this_level = level if plan["compression"] else distance
            if this_level > plan["levels"]:
                path.append((node, plan["levels"] + 1, distance, Decimal(0), None, True))
                break
            passed_to = None
            if plan["compression"] and not qualified(node):
                above = sponsor(node)
                while above is not None and not qualified(above):
                    above = sponsor(above)
                passed_to = above
            path.append((node, this_level, distance, plan["rates"][this_level - 1], passed_to,
                         False))
            if plan["compression"] and qualified(node):
                level += 1
        for member, lvl, dist, rate, passed_to, beyond in path:
            if volume:
                if beyond:
                    lines.append((order, owner, buyer, member, lvl, dist, volume, Decimal(0),
                                  Decimal("0.00"), False, "beyond_cap", None))
                else:
                    why = reason(member)
                    if why == "paid" and rate == 0:
                        why = "no_rate"
                    lines.append((order, owner, buyer, member, lvl, dist, volume, rate,
                                  money(volume * rate / 100), why == "paid", why, passed_to))
            if other and not beyond:
                lines.append((order, owner, buyer, member, lvl, dist, other, rate,
                              Decimal("0.00"), False, "not_commissionable", None))

    statements = {}
    for m, (_sponsor, kind, _active) in members.items():
        if m == company or kind != "distributor":
            continue
        group, per_level = Decimal(0), [Decimal(0)] * plan["levels"]
        for d in members:
            if d == company or not is_distributor(d):
                continue
            node, distance = d, 0
            while node is not None and node != m:
                node = members[node][0]
                distance += 1
            if node == m and distance > 0:
                group += own.get(d, Decimal(0))
                if distance <= plan["levels"]:
                    per_level[distance - 1] += own.get(d, Decimal(0))
        commission = sum((x[8] for x in lines if x[3] == m and x[9]), Decimal("0.00"))
        statements[m] = {
            "personal_volume": money(personal.get(m, 0)),
            "own_volume": money(own.get(m, 0)),
            "end_customer_volume": money(own.get(m, 0) - personal.get(m, 0)),
            "group_volume": money(group),
            "group_volume_levels": [money(x) for x in per_level],
            "qualified": qualified(m),
            "commission": money(commission),
        }
    return statements, lines
