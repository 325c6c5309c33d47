"""The privacy rule inside the network (mlm_network.privacy): whom a distributor sees, how much."""

import pytest
from django.core import checks
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import privacy
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

pytestmark = pytest.mark.django_db

UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")


@pytest.fixture
def net(company):
    anna = DistributorFactory(parent=company, handle="anna")
    ben = DistributorFactory(parent=anna, handle="ben")  # Anna's first line, a distributor
    dora = CustomerFactory(parent=anna)  # Anna's own customer
    carla = DistributorFactory(parent=ben, handle="carla")  # level 2
    emil = CustomerFactory(parent=carla)  # level 3, Carla's customer
    zoe = DistributorFactory(parent=company, handle="zoe")  # another leg
    return {"anna": anna, "ben": ben, "dora": dora, "carla": carla, "emil": emil, "zoe": zoe}


def test_downline_members_come_with_their_level(net):
    anna = net["anna"]
    assert privacy.downline_member(anna, anna.pk).level == 0
    assert privacy.downline_member(anna, net["ben"].pk).level == 1
    assert privacy.downline_member(anna, str(net["carla"].pk)).level == 2
    assert privacy.downline_member(anna, net["emil"].pk).level == 3
    assert privacy.downline_member(net["ben"], net["emil"].pk).level == 2


@pytest.mark.parametrize(
    "value", ["zoe", "company", "upline", "999999", "²", "1\x00", "-1", "0", "9" * 30, "", None]
)
def test_everyone_else_is_none_whatever_the_input(net, company, value):
    anna, ben = net["anna"], net["ben"]
    ids = {"zoe": net["zoe"].pk, "company": company.pk, "upline": anna.pk}
    viewer = ben if value == "upline" else anna
    assert privacy.downline_member(viewer, ids.get(value, value)) is None


def test_contact_data_only_of_the_own_first_line(net):
    anna = net["anna"]
    Country.objects.create(iso_3166_1_a2="DE", name="Germany", printable_name="Germany")
    UserAddress.objects.create(
        user=net["dora"].user,
        first_name="Dora",
        last_name="Decker",
        line1="Lindenweg 3",
        line4="Bonn",
        postcode="53111",
        country_id="DE",
        phone_number="+49 228 123456",
        is_default_for_shipping=True,
    )
    assert privacy.sees_contact(anna, net["ben"]) and privacy.sees_contact(anna, net["dora"])
    assert not privacy.sees_contact(anna, net["carla"])
    assert not privacy.sees_contact(anna, net["emil"])
    assert not privacy.sees_contact(anna, anna)
    dora = privacy.contact(anna, net["dora"])
    assert dora.email == net["dora"].user.email
    assert "Lindenweg 3" in dora.address and dora.phone == "+49 228 123456"
    assert privacy.contact(anna, net["carla"]) is None
    # Carla's own customer is Carla's first line, not Anna's.
    assert privacy.contact(net["carla"], net["emil"]).email == net["emil"].user.email
    found = privacy.contacts(anna, [net["ben"], net["dora"], net["carla"], net["emil"]])
    assert set(found) == {net["ben"].pk, net["dora"].pk}


def test_the_setting_narrows_it(net, settings):
    anna = net["anna"]
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = "customers"
    assert privacy.sees_contact(anna, net["dora"]) and not privacy.sees_contact(anna, net["ben"])
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = "none"
    assert not privacy.sees_contact(anna, net["dora"])
    assert privacy.contacts(anna, [net["ben"], net["dora"]]) == {}


def test_a_mistyped_setting_is_a_check_error_and_shows_nothing(net, settings):
    settings.OSCAR_MLM_NETWORK_CONTACT_DATA = "everyone"
    errors = [e for e in checks.run_checks() if e.id == "oscar_mlm.E001"]
    assert any("OSCAR_MLM_NETWORK_CONTACT_DATA" in e.msg for e in errors)
    assert not privacy.sees_contact(net["anna"], net["dora"])
