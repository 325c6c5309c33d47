"""Django's admin shows the package's models and changes none of them."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from oscar_mlm.admin import ReadOnlyAdmin
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db


def our_admins():
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label.startswith("mlm_")
    }


def test_every_admin_of_ours_is_read_only_even_for_a_superuser():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admins = our_admins()
    assert {m._meta.label for m in admins} >= {
        "mlm_network.Member",
        "mlm_network.SponsorChange",
        "mlm_credit.CreditEntry",
        "mlm_credit.CreditAccount",
    }
    for model, model_admin in admins.items():
        assert isinstance(model_admin, ReadOnlyAdmin), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.has_view_permission(request), model


def test_the_admin_lists_but_offers_no_add_page(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/mlm_credit/creditentry/").status_code == 200
    assert client.get("/admin/mlm_credit/creditentry/add/").status_code == 403
    assert client.get("/admin/mlm_network/member/add/").status_code == 403
