"""Who owns an order's volume, and how much volume a line is: the rules as plain functions.

No database access here: the recording at placement, the bulk demo and
benchmark loaders and the tests all apply the same rules to plain values.
See docs/volumes.rst ("Who an order belongs to") and COMMISSIONS.md rules 1 and 2.
"""

from decimal import Decimal

from oscar_mlm.money import ZERO, quantize

# Values of VolumeRecord.buyer_kind and VolumeRecord.owned_by (kept in one place
# with the model's constants, which are the same strings).
DISTRIBUTOR, CUSTOMER, GUEST, NOT_MEMBER = "distributor", "customer", "guest", "not_member"
BUYER, SPONSOR, STOREFRONT, COOKIE, VOUCHER, COMPANY = (
    "buyer",
    "sponsor",
    "storefront",
    "cookie",
    "voucher",
    "company",
)

# The order of precedence for a guest order (COMMISSIONS.md rule 1).
GUEST_PRECEDENCE = (STOREFRONT, COOKIE, VOUCHER)


def owner_of(*, buyer_kind, buyer_id=None, sponsor_id=None, candidates=None, company_id):
    """``(owner id, owned_by)`` of an order.

    * a distributor owns what they buy;
    * a customer's order belongs to their sponsor at the moment of the order
      (which may be the company);
    * a guest order belongs to the first of ``candidates`` present, in the
      order of :data:`GUEST_PRECEDENCE` (``{"storefront": id, "cookie": id,
      "voucher": id}``): the storefront the order was placed on, else the
      distributor of the attribution cookie, else the issuer of the
      new-customer voucher it used;
    * everything else (a guest without any of these, a user who is not a
      member yet) belongs to the company, and ``owned_by`` says so.
    """
    if buyer_kind == DISTRIBUTOR:
        return buyer_id, BUYER
    if buyer_kind == CUSTOMER:
        return sponsor_id, SPONSOR
    if buyer_kind == GUEST:
        for source in GUEST_PRECEDENCE:
            found = (candidates or {}).get(source)
            if found is not None:
                return found, source
    return company_id, COMPANY


def buyer_kind_of(member_kind):
    """The record's ``buyer_kind`` for a buyer who is a member of ``member_kind`` (or ``None``)."""
    if member_kind == DISTRIBUTOR:
        return DISTRIBUTOR
    if member_kind == CUSTOMER:
        return CUSTOMER
    return NOT_MEMBER


# Rule types (VolumeRule.type).
VALUE, POINTS, NONE = "value", "points", "none"


def line_volume(*, value, quantity, rule_type=None, points=None):
    """``(volume, commissionable)`` of a line worth ``value`` (net of discounts, excl. tax).

    No rule or a "value" rule: the value. "points": the points per unit times
    the quantity. "none": not commissionable, no volume.
    """
    if rule_type == NONE:
        return ZERO, False
    if rule_type == POINTS:
        return quantize(Decimal(points or 0) * quantity), True
    return max(ZERO, quantize(value)), True


def effective_rule(*rules):
    """The first rule given that exists, ``(type, points)`` pairs, most specific first.

    Product › parent product › product class › parent's product class.
    """
    for rule_type, points in rules:
        if rule_type:
            return rule_type, points
    return None, None


def sale_key(line_id):
    """Idempotency key of the sale record of an order line (also of bulk-written ones)."""
    return f"sale:line:{line_id}"


def part_of(total, part, whole):
    """``total * part / whole`` rounded to the cent: the share of ``part`` units of ``whole``."""
    if whole == part:
        return total
    return quantize(Decimal(total) * part / whole)
