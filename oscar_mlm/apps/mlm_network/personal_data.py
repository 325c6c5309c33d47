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
