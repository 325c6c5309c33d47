"""Erasure and export of personal data held by the network app and by Oscar itself.

The network app is in every shop, so it also looks after what Oscar's own apps
(customer, address, order, communication, reviews, wishlists, analytics, payment) and
Django's admin log hold about the user. See :mod:`oscar_mlm.personal_data`.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from oscar.core.loading import get_model

from oscar_mlm.personal_data import scrub_rows

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
StatusChange = get_model("mlm_network", "StatusChange")
HandleRedirect = get_model("mlm_network", "HandleRedirect")

ADDRESS_TEXT = (
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "search_text",
)


def erase_network(person):
    """The member keeps its place; its handle becomes the pseudonym, old handles stop
    forwarding, and audit reasons no longer name the person."""
    if person.member_id is not None:
        member = Member.objects.get(pk=person.member_id)
        if member.handle:
            # update(): a Member.save() would re-validate the tree for nothing.
            Member.objects.filter(pk=member.pk).update(handle=person.pseudonym)
        HandleRedirect.objects.filter(member_id=member.pk).delete()
        HandleRedirect.objects.filter(old_handle__in=person.handles).delete()
    for model in (SponsorChange, StatusChange):
        scrub_rows(model.objects.all(), person, "reason")


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:  # the shop left that Oscar app out
        return None


def _orders(person):
    Order = get_model("order", "Order")
    return Order.objects.filter(Q(user_id=person.user_id) | Q(guest_email__iexact=person.email))


def erase_oscar(person):
    """The user row is pseudonymised and cannot log in; addresses, e-mails sent, alerts,
    searches are deleted; the person's orders stay with blank addresses and no e-mail."""
    User = get_user_model()
    user = User._default_manager.get(pk=person.user_id)
    user.email = person.pseudonym_email
    if hasattr(user, "username"):
        user.username = person.pseudonym
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()

    for app_label, name in (("address", "UserAddress"), ("payment", "Bankcard")):
        model = _model(app_label, name)
        if model is not None:
            model.objects.filter(user_id=person.user_id).delete()
    Email = _model("communication", "Email")
    if Email is not None:
        Email.objects.filter(Q(user_id=person.user_id) | Q(email__iexact=person.email)).delete()
    Notification = _model("communication", "Notification")
    if Notification is not None:
        Notification.objects.filter(recipient_id=person.user_id).delete()
        scrub_rows(Notification.objects.all(), person, "subject", "body")
    ProductAlert = _model("customer", "ProductAlert")
    if ProductAlert is not None:
        ProductAlert.objects.filter(
            Q(user_id=person.user_id) | Q(email__iexact=person.email)
        ).delete()
    UserSearch = _model("analytics", "UserSearch")
    if UserSearch is not None:
        UserSearch.objects.filter(user_id=person.user_id).delete()
    ProductReview = _model("reviews", "ProductReview")
    if ProductReview is not None:
        ProductReview.objects.filter(
            Q(user_id=person.user_id) | Q(email__iexact=person.email)
        ).update(name="", email="")
        scrub_rows(ProductReview.objects.all(), person, "title", "body")
    WishList = _model("wishlists", "WishList")
    if WishList is not None:
        scrub_rows(WishList.objects.filter(owner_id=person.user_id), person, "name")

    orders = _orders(person)
    Order = orders.model
    order_ids = list(orders.values_list("pk", flat=True))
    address_ids = orders.values_list("shipping_address_id", "billing_address_id")
    shipping_ids = [s for s, _b in address_ids if s]
    billing_ids = [b for _s, b in address_ids if b]
    blank = dict.fromkeys(ADDRESS_TEXT, "")
    get_model("order", "ShippingAddress").objects.filter(pk__in=shipping_ids).update(
        **blank, phone_number="", notes=""
    )
    get_model("order", "BillingAddress").objects.filter(pk__in=billing_ids).update(**blank)
    Order.objects.filter(pk__in=order_ids).exclude(guest_email="").update(
        guest_email=person.pseudonym_email
    )
    scrub_rows(
        get_model("order", "OrderNote").objects.filter(order_id__in=order_ids), person, "message"
    )
    for name in ("Source",):
        model = _model("payment", name)
        if model is not None:
            scrub_rows(model.objects.filter(order_id__in=order_ids), person, "reference", "label")
    LogEntry = _model("admin", "LogEntry")
    if LogEntry is not None:
        scrub_rows(LogEntry.objects.all(), person, "object_repr", "change_message")


# -- export ----------------------------------------------------------------------------------


def export_network(user):
    """The profile, the membership and its history (sponsors as member numbers only)."""
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    member = Member.objects.filter(user=user).first()
    sections = {"profile": [profile]}
    if member is None:
        return sections
    sections["membership"] = [
        {
            "member_number": member.pk,
            "kind": member.kind,
            "status": member.status,
            "handle": member.handle or "",
            "sponsor_number": member.parent_id,
            "joined": member.joined,
            "attribution": member.attribution,
        }
    ]
    sections["sponsor_changes"] = [
        {
            "when": change.created,
            "old_sponsor_number": change.old_sponsor_id,
            "new_sponsor_number": change.new_sponsor_id,
            "through": change.source,
            "reason": change.reason,
        }
        for change in SponsorChange.objects.filter(member=member).order_by("created", "pk")
    ]
    sections["status_changes"] = [
        {"when": change.created, "event": change.event, "reason": change.reason}
        for change in StatusChange.objects.filter(member=member).order_by("created", "pk")
    ]
    return sections


def _address(address):
    if address is None:
        return ""
    return ", ".join(part for part in address.active_address_fields() if part)


def export_oscar(user):
    """Addresses of the address book and orders with their lines and addresses."""
    sections = {}
    UserAddress = _model("address", "UserAddress")
    if UserAddress is not None:
        sections["addresses"] = [
            {
                "name": address.name,
                "address": _address(address),
                "phone_number": str(address.phone_number or ""),
                "default_for_shipping": address.is_default_for_shipping,
                "default_for_billing": address.is_default_for_billing,
            }
            for address in UserAddress.objects.filter(user=user).order_by("pk")
        ]
    Order = get_model("order", "Order")
    # Orders placed as a guest with the same e-mail address are the person's too.
    mine = Q(user=user) | Q(guest_email__iexact=user.email)
    orders = (
        Order.objects.filter(mine)
        .select_related("shipping_address", "billing_address")
        .order_by("date_placed", "pk")
    )
    sections["orders"] = [
        {
            "number": order.number,
            "placed": order.date_placed,
            "status": order.status,
            "currency": order.currency,
            "total_incl_tax": order.total_incl_tax,
            "shipping_incl_tax": order.shipping_incl_tax,
            "shipping_address": _address(order.shipping_address),
            "billing_address": _address(order.billing_address),
        }
        for order in orders
    ]
    Line = get_model("order", "Line")
    sections["order_lines"] = [
        {
            "order_number": line.order.number,
            "product": line.title,
            "upc": line.upc or "",
            "quantity": line.quantity,
            "price_incl_tax": line.line_price_incl_tax,
        }
        for line in Line.objects.filter(order__in=Order.objects.filter(mine))
        .select_related("order")
        .order_by("order__date_placed", "pk")
    ]
    return sections
