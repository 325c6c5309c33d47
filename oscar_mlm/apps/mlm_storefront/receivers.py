from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from oscar.apps.catalogue.signals import product_viewed
from oscar.core.loading import get_model

from .cache import mark_product_page
from .lookup import forget

Member = get_model("mlm_network", "Member")
Storefront = get_model("mlm_storefront", "Storefront")


@receiver([post_save, post_delete], sender=Member)
def member_changed(sender, instance, **kwargs):
    forget(instance.handle)


@receiver(pre_save, sender=Member)
def handle_changing(sender, instance, update_fields=None, **kwargs):
    # A rename: the entry under the old handle must go too.
    if instance.pk and (update_fields is None or "handle" in update_fields):
        forget(Member.objects.filter(pk=instance.pk).values_list("handle", flat=True).first())


@receiver([post_save, post_delete], sender=Storefront)
def storefront_changed(sender, instance, **kwargs):
    forget(Member.objects.filter(pk=instance.member_id).values_list("handle", flat=True).first())


@receiver([post_save, post_delete], sender=get_user_model())
def user_changed(sender, instance, **kwargs):
    # The banner shows the owner's name.
    for handle in Member.objects.filter(user_id=instance.pk).values_list("handle", flat=True):
        forget(handle)


# A product page the page cache may share carries its product, so a copy served from the
# cache still records the view (oscar_mlm.apps.mlm_storefront.cache).
product_viewed.connect(mark_product_page, dispatch_uid="mlm_page_cache_product")
