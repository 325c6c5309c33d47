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
