"""Erasure on request (GDPR art. 17): no trace of the person's e-mail or name in any table,
the member keeps its place, and the books do not change."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import services
from oscar_mlm.apps.mlm_network.exceptions import (
    AlreadyErased,
    CompanyNotErasable,
    ErasureReasonRequired,
    SelfErasure,
)

from .conftest import EMAIL, TRACES

PASSWORD = "secret-pass-123"  # oscar_mlm.test.factories.UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
Member = get_model("mlm_network", "Member")
Erasure = get_model("mlm_network", "Erasure")
Order = get_model("order", "Order")
CreditEntry = get_model("mlm_credit", "CreditEntry")
CreditAccount = get_model("mlm_credit", "CreditAccount")
VolumeRecord = get_model("mlm_commissions", "VolumeRecord")
SponsorChange = get_model("mlm_network", "SponsorChange")
Statement = get_model("mlm_commissions", "CommissionStatement")
CreditNote = get_model("mlm_commissions", "CreditNote")
TaxProfile = get_model("mlm_commissions", "TaxProfile")
CustomerNote = get_model("mlm_backoffice", "CustomerNote")
FollowUp = get_model("mlm_backoffice", "FollowUp")
NoteRead = get_model("mlm_backoffice", "NoteRead")


def traces(needles):
    """(table, column, needle) for every column of every table holding a needle."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} "
                        f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, column.name, needle))
    return found


def books():
    """What erasure must not change: orders, credit, volumes, the tree, commissions."""
    return (
        list(
            Statement.objects.order_by("pk").values_list(
                "period_id", "member_id", "own_volume", "commission", "total"
            )
        ),
        list(
            CreditNote.objects.order_by("pk").values_list(
                "number", "member_id", "issued", "net", "vat", "gross"
            )
        ),
        list(Order.objects.order_by("pk").values_list("number", "total_incl_tax", "user_id")),
        list(CreditAccount.objects.order_by("pk").values_list("user_id", "balance", "pending")),
        CreditEntry.objects.aggregate(Sum("amount"))["amount__sum"],
        list(
            VolumeRecord.objects.order_by("pk").values_list(
                "order_id", "owner_id", "buyer_id", "value", "volume"
            )
        ),
        list(Member.objects.order_by("pk").values_list("pk", "parent_id", "kind", "status")),
        SponsorChange.objects.count(),
    )


def test_the_scenario_leaves_traces_everywhere_before_the_erasure(person):
    tables = {table for table, _column, _needle in traces(TRACES)}
    for table in (
        "auth_user",
        "mlm_network_handleredirect",
        "mlm_storefront_storefront",
        "mlm_vouchers_redemption",
        "mlm_vouchers_guestattribution",
        "voucher_voucher",
        "order_orderdiscount",
        "order_order",
        "order_shippingaddress",
        "address_useraddress",
        "mlm_credit_creditentry",
        "mlm_network_sponsorchange",
        "communication_email",
        "django_admin_log",
        "mlm_commissions_taxprofile",
        "mlm_commissions_creditnote",
        "django_tasks_database_dbtaskresult",
        "mlm_backoffice_customernote",
        "mlm_backoffice_followup",
        "mlm_backoffice_customertag",
        "mlm_backoffice_noteread",
    ):
        assert table in tables, table


def test_no_trace_of_the_e_mail_or_name_remains_in_any_table(person):
    before = books()
    erasure = services.erase_person(
        user=person.zelda.user,
        erased_by=person.staff,
        reason=f"Request of 30 Nov by e-mail from {EMAIL}",
    )
    assert traces(TRACES) == []
    assert books() == before
    zelda = Member.objects.select_related("user").get(pk=person.zelda.pk)
    assert zelda.parent_id == person.zelda.parent_id  # keeps its place
    assert zelda.user.email == f"erased-{zelda.user.pk}@erased.invalid"
    assert not zelda.user.is_active and not zelda.user.has_usable_password()
    assert erasure.reason == "Request of 30 Nov by e-mail from [erased]"
    assert (erasure.member, erasure.erased_by) == (zelda, person.staff)
    # the code that carried her handle still counts for her, under a neutral name
    person.code.voucher.refresh_from_db()
    assert person.code.voucher.code.startswith(f"X{zelda.pk}-")
    # the consultant finder no longer knows where she is
    storefront = zelda.storefront
    assert (storefront.postcode, storefront.city, storefront.is_hidden) == ("", "", True)
    # her credit note keeps its number and amounts for the books, without her name
    note = CreditNote.objects.get(pk=person.credit_note.pk)
    assert (note.number, note.gross) == (person.credit_note.number, person.credit_note.gross)
    assert (note.name, note.address, note.tax_number) == ("[erased]", "[erased]", "")
    assert not TaxProfile.objects.filter(member=zelda).exists()
    # her CRM diary is gone; Ben's note about his customer stays, without her name
    assert not CustomerNote.objects.filter(distributor=zelda).exists()
    assert not FollowUp.objects.filter(distributor=zelda).exists()
    assert CustomerNote.objects.get(pk=person.bens_note.pk).text == "Hugo came through [erased]"
    assert NoteRead.objects.get(member=zelda).reason == "[erased] asked for help"


def test_the_erased_person_cannot_log_in(client, person):
    assert client.login(username=EMAIL, password=PASSWORD)
    client.logout()
    services.erase_person(user=person.zelda.user, erased_by=person.staff, reason="Request")
    assert not client.login(username=EMAIL, password=PASSWORD)
    erased = User.objects.get(pk=person.zelda.user.pk)
    assert not client.login(username=erased.email, password=PASSWORD)


def test_an_erasure_cannot_be_repeated_or_undone(person):
    services.erase_person(user=person.zelda.user, erased_by=person.staff, reason="Request")
    with pytest.raises(AlreadyErased):
        services.erase_person(user=person.zelda.user, erased_by=person.staff, reason="Again")
    assert Erasure.objects.count() == 1
    with pytest.raises(TypeError):
        Erasure.objects.get().delete()


@pytest.mark.parametrize("reason", ["", "   ", "a\x00b", "x" * 501])
def test_a_bad_reason_is_refused_and_changes_nothing(person, reason):
    before = traces(TRACES)
    with pytest.raises(ErasureReasonRequired):
        services.erase_person(user=person.zelda.user, erased_by=person.staff, reason=reason)
    assert traces(TRACES) == before
    assert not Erasure.objects.exists()


def test_the_company_and_oneself_cannot_be_erased(person, company):
    from oscar_mlm.test.factories import UserFactory

    Member.objects.filter(pk=company.pk).update(user=UserFactory(email="office@example.com"))
    company.refresh_from_db()
    with pytest.raises(CompanyNotErasable):
        services.erase_person(user=company.user, erased_by=person.staff, reason="No")
    with pytest.raises(SelfErasure):
        services.erase_person(user=person.staff, erased_by=person.staff, reason="No")
    assert not Erasure.objects.exists()


def test_a_user_outside_the_network_is_erased_too(person):
    from oscar_mlm.test.factories import UserFactory

    user = UserFactory(email="otto.outsider@example.com", first_name="Otto", last_name="Outsider")
    services.erase_person(user=user, erased_by=person.staff, reason="Request")
    assert traces(["otto.outsider", "outsider"]) == []


def test_credit_notes_stay_whole_where_the_shop_keeps_them_for_the_law(person, settings):
    settings.OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES = True
    issued = CreditNote.objects.get(pk=person.credit_note.pk)
    before = books()
    services.erase_person(user=person.zelda.user, erased_by=person.staff, reason="Request")
    note = CreditNote.objects.get(pk=issued.pk)
    assert (note.number, note.name, note.address, note.vat_id, note.tax_number) == (
        issued.number,
        issued.name,
        issued.address,
        issued.vat_id,
        issued.tax_number,
    )
    assert issued.name not in ("", "[erased]")
    # The credit note is the one record left that names her; the tax details go all the same.
    assert {table for table, _column, _needle in traces(TRACES)} == {"mlm_commissions_creditnote"}
    assert not TaxProfile.objects.filter(member=person.zelda).exists()
    assert books() == before


def test_the_erase_page_says_what_happens_to_credit_notes(client, person, settings):
    client.force_login(person.staff)
    url = reverse("mlm_dashboard:mlm-member-erase", args=[person.zelda.pk])
    assert "archive the issued PDFs first" in client.get(url).content.decode()
    settings.OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES = True
    page = client.get(url).content.decode()
    assert "Issued credit notes stay as they were" in page
    assert "archive the issued PDFs first" not in page
