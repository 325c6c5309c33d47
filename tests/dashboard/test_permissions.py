"""Every staff page of the package is one section of Oscar's dashboard, guarded by Oscar's
permission mechanism: logged-out visitors go to the dashboard login, staff without the
page's permission get 403, staff with it (and superusers) get the page."""

from decimal import Decimal as D

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import URLPattern, resolve, reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product

from oscar_mlm.apps.mlm_credit import services as credit
from oscar_mlm.apps.mlm_dashboard.permissions import section_permission_names
from oscar_mlm.apps.mlm_vouchers import services as vouchers
from oscar_mlm.test.factories import UserFactory
from tests.statements.conftest import company_settings, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

CommissionJob = get_model("mlm_commissions", "CommissionJob")


def section_patterns():
    return [p for p in apps.get_app_config("mlm_dashboard").urls[0] if isinstance(p, URLPattern)]


def open_page(client, address):
    """GET the page; a page that only takes POST (a button) is sent an empty form instead."""
    view_class = getattr(resolve(address).func, "view_class", None)
    if view_class is not None and "get" not in view_class.http_method_names:
        return client.post(address)
    return client.get(address)


def assert_opens(response, name):
    """The page itself: 200, or for a POST-only button the redirect back with its message."""
    assert response.status_code in ((200, 302) if response.request["REQUEST_METHOD"] == "POST"
                                    else (200,)), (name, response.status_code)
    if response.status_code == 302:
        assert not response.url.startswith(reverse("dashboard:login")), name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Permission denied" not in body, name


@pytest.fixture
def page_urls(network, world):  # noqa: F811  (world: a closed and an open commission period)
    """The URL of every page of the section, with real objects behind its arguments."""
    product = create_product(price=D("10.00"))
    account = credit.open_account(network.dora.user, "EUR")
    program = vouchers.create_program(name="New customers", value=D("10.00"))
    job = CommissionJob.objects.create(period=world.october, action=CommissionJob.PREVIEW)
    distributor_pages = {"mlm-member-storefront", "mlm-member-handle"}
    args = {
        "pk": None,  # per page below
        "user_pk": network.dora.user.pk,
        "product_pk": product.pk,
        "class_pk": product.product_class.pk,
        "number": create_order().number,  # an order without an open invoice: a message
        "member_pk": world["B2"].pk,  # a distributor with a statement in October
        "node_pk": None,  # per page below
    }
    urls = {}
    for pattern in section_patterns():
        name = pattern.name
        kwargs = {key: args[key] for key in pattern.pattern.converters}
        if "pk" in kwargs:
            if name.startswith("mlm-credit-account"):
                kwargs["pk"] = account.pk
            elif name.startswith("mlm-voucherprogram"):
                kwargs["pk"] = program.pk
            elif name in distributor_pages or name == "mlm-voucher-report-distributor":
                kwargs["pk"] = network.anna.pk
            elif name == "mlm-member-tree-node":
                kwargs.update(pk=network.anna.pk, node_pk=network.ben.pk)
            elif name == "mlm-commission-job-detail":
                kwargs["pk"] = job.pk
            elif name.startswith("mlm-commission-"):
                kwargs["pk"] = world.october.pk  # closed: payout list and what-if apply
            else:
                kwargs["pk"] = network.carl.pk
        urls[name] = reverse(f"mlm_dashboard:{name}", kwargs=kwargs or None)
    return urls


def test_the_section_holds_the_staff_pages_of_every_installed_app(page_urls):
    names = set(page_urls)
    for expected in (
        "mlm-member-list",
        "mlm-sponsorchange-list",
        "mlm-voucher-report",
        "mlm-credit-account-list",
        "mlm-credit-adjust",
        "mlm-credit-orphans",
        "mlm-volume-rule-list",
        "mlm-commission-period-list",
        "mlm-commission-period-create",
        "mlm-commission-period-detail",
        "mlm-commission-job-create",
        "mlm-commission-job-detail",
        "mlm-commission-whatif",
        "mlm-commission-payout-export",
        "mlm-commission-statement-detail",
        "mlm-commission-statement-export",
        "mlm-commission-statement-pdf",
        "mlm-commission-plan-list",
        "mlm-commission-plan-create",
        "mlm-credit-report",
        "mlm-order-mark-paid",
        "mlm-member-tree",
        "mlm-member-tree-node",
        "mlm-member-notes",
    ):
        assert expected in names
    # the credit, volume and commission pages kept their addresses
    assert page_urls["mlm-credit-account-list"] == "/dashboard/mlm/credit/"
    assert page_urls["mlm-volume-rule-list"] == "/dashboard/mlm/volumes/rules/"
    assert page_urls["mlm-commission-period-list"] == "/dashboard/mlm/commissions/"
    assert page_urls["mlm-commission-job-create"].endswith("/jobs/")


def test_every_page_names_a_model_permission():
    config = apps.get_app_config("mlm_dashboard")
    permissions = config.section_permissions()
    for pattern in section_patterns():
        entry = permissions.get(pattern.name)
        assert entry, pattern.name
        assert "is_staff" in entry and any("." in name for name in entry), pattern.name
    # every name is a real permission
    for name in section_permission_names():
        app_label, codename = name.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), name


def test_logged_out_visitors_are_sent_to_the_dashboard_login(client, page_urls):
    login = reverse("dashboard:login")
    for name, address in page_urls.items():
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, (name, response.status_code)
            assert response.url.startswith(f"{login}?next="), name


def test_staff_without_the_permission_get_403(client, page_urls, network):
    client.force_login(UserFactory(is_staff=True))
    for name, address in page_urls.items():
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 403, (name, response.status_code)
            assert b"dora@example.com" not in response.content, name


def test_a_customer_with_the_permissions_but_not_staff_gets_403(client, page_urls):
    from oscar_mlm.test.factories import grant_dashboard_permissions

    client.force_login(grant_dashboard_permissions(UserFactory()))
    for name, address in page_urls.items():
        assert client.get(address).status_code == 403, name


def test_staff_with_exactly_the_page_permission_get_the_page(client, page_urls):
    config = apps.get_app_config("mlm_dashboard")
    for name, address in page_urls.items():
        staff = UserFactory(is_staff=True)
        for permission in config.get_permissions(name):
            if "." in permission:
                app_label, codename = permission.split(".")
                staff.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        client.force_login(staff)
        assert_opens(open_page(client, address), name)


def test_superusers_get_every_page(client, page_urls):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name, address in page_urls.items():
        assert_opens(open_page(client, address), name)


def test_menu_shows_only_the_pages_a_staff_member_may_open(client, page_urls):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="mlm_credit", codename="view_creditaccount")
    )
    client.force_login(staff)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert f'href="{page_urls["mlm-credit-account-list"]}"' in html
    assert f'href="{page_urls["mlm-member-list"]}"' not in html
    assert f'href="{page_urls["mlm-credit-orphans"]}"' not in html
    assert f'href="{page_urls["mlm-commission-period-list"]}"' not in html
    staff.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="mlm_commissions", codename="view_commissionperiod"
        )
    )
    html = client.get(reverse("dashboard:index")).content.decode()
    assert f'href="{page_urls["mlm-commission-period-list"]}"' in html
    assert f'href="{page_urls["mlm-commission-plan-list"]}"' in html


def test_the_staff_group_command_grants_every_page(client, page_urls):
    call_command("mlm_staff_group", "--name", "Network staff", stdout=open("/dev/null", "w"))
    call_command("mlm_staff_group", "--name", "Network staff", stdout=open("/dev/null", "w"))
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Network staff")
    assert group.permissions.count() == len(section_permission_names())
    staff = UserFactory(is_staff=True)
    staff.groups.add(group)
    client.force_login(staff)
    for name, address in page_urls.items():
        assert_opens(open_page(client, address), name)


@pytest.mark.parametrize("name", ["", "   ", "a\x00b", "x" * 151])
def test_the_staff_group_command_refuses_a_bad_name(name):
    from django.contrib.auth.models import Group
    from django.core.management import CommandError

    before = list(Group.objects.values_list("name", flat=True))
    with pytest.raises(CommandError, match="group name"):
        call_command("mlm_staff_group", "--name", name)
    assert list(Group.objects.values_list("name", flat=True)) == before
