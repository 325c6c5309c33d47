"""Erasure of a distributor's storefront: texts and photo go, the storefront is hidden."""

from django.db import transaction
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_storefront import lookup

Storefront = get_model("mlm_storefront", "Storefront")


def erase_storefront(person):
    storefront = Storefront.objects.filter(member_id=person.member_id).first()
    if person.member_id is not None and storefront is not None:
        photo = storefront.photo
        storefront.display_name = ""
        storefront.greeting = ""
        storefront.contact_line = ""
        storefront.staff_note = ""
        storefront.city = ""  # where visitors could find the person (the consultant finder)
        storefront.postcode = ""
        storefront.photo = ""
        storefront.is_hidden = True
        storefront.save()
        if photo:
            storage, name = photo.storage, photo.name
            transaction.on_commit(lambda: storage.delete(name))
    # The cached lookup of every handle the person had (other processes: until it expires
    # after OSCAR_MLM_STOREFRONT_CACHE_SECONDS, as for any rename).
    handles = list(person.handles)
    transaction.on_commit(lambda: [lookup.forget(handle) for handle in handles])


def export_storefront(user):
    storefront = Storefront.objects.filter(member__user=user).first()
    if storefront is None:
        return {}
    return {
        "storefront": [
            {
                "display_name": storefront.display_name,
                "greeting": storefront.greeting,
                "contact_line": storefront.contact_line,
                "postcode": storefront.postcode,
                "city": storefront.city,
                "accent_color": storefront.accent_color,
                "photo": storefront.photo.name if storefront.photo else "",
                "hidden": storefront.is_hidden,
            }
        ]
    }
