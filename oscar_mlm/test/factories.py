"""Factories for django-oscar-mlm's models, mirroring ``oscar.test.factories``.

Members are created directly (no audit row); tests of the audit go through
``services``. ``MemberFactory`` hangs a new member under the company root
unless a ``parent`` is given.
"""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

__all__ = [
    "UserFactory",
    "CompanyFactory",
    "MemberFactory",
    "DistributorFactory",
    "CustomerFactory",
    "SponsorChangeFactory",
]


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    password = factory.django.Password("secret-pass-123")
    is_active = True

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


class CompanyFactory(factory.django.DjangoModelFactory):
    kind = "company"
    parent = None
    user = None

    class Meta:
        model = get_model("mlm_network", "Member")
        django_get_or_create = ("kind",)


class MemberFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory("oscar_mlm.test.factories.UserFactory")
    parent = factory.SubFactory("oscar_mlm.test.factories.CompanyFactory")
    kind = "customer"
    status = "active"

    class Meta:
        model = get_model("mlm_network", "Member")


class DistributorFactory(MemberFactory):
    kind = "distributor"
    handle = factory.Sequence(lambda n: f"distributor{n}")
    promoted = factory.LazyFunction(timezone.now)


class CustomerFactory(MemberFactory):
    kind = "customer"


class SponsorChangeFactory(factory.django.DjangoModelFactory):
    member = factory.SubFactory("oscar_mlm.test.factories.CustomerFactory")
    old_sponsor = None
    new_sponsor = factory.SelfAttribute("member.parent")
    source = "signup"

    class Meta:
        model = get_model("mlm_network", "SponsorChange")


def grant_dashboard_permissions(user):
    """Give ``user`` every permission of the network dashboard section's pages."""
    from oscar_mlm.apps.mlm_dashboard.permissions import section_permissions

    user.user_permissions.add(*section_permissions())
    # Django caches a user's permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user
