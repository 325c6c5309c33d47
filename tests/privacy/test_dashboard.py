"""Staff erase a member's personal data from the member page."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.test.factories import UserFactory, grant_dashboard_permissions

from .conftest import EMAIL

pytestmark = pytest.mark.django_db

Erasure = get_model("mlm_network", "Erasure")
Member = get_model("mlm_network", "Member")


def erase_url(member):
    return reverse("mlm_dashboard:mlm-member-erase", kwargs={"pk": member.pk})


@pytest.fixture
def staff_client(client):
    client.force_login(
        grant_dashboard_permissions(UserFactory(is_staff=True, email="sam@example.com"))
    )
    return client


def test_staff_erase_a_member_after_typing_the_e_mail_again(staff_client, person):
    zelda = person.zelda
    page = staff_client.get(reverse("mlm_dashboard:mlm-member-detail", kwargs={"pk": zelda.pk}))
    assert erase_url(zelda) in page.content.decode()

    wrong = staff_client.post(
        erase_url(zelda), {"reason": "Mail of today", "confirm_email": "x@y.z"}
    )
    assert wrong.status_code == 200
    assert "This is not the member&#x27;s e-mail address." in wrong.content.decode()
    assert not Erasure.objects.exists()

    done = staff_client.post(
        erase_url(zelda), {"reason": "Mail of today", "confirm_email": EMAIL.upper()}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse(
        "mlm_dashboard:mlm-member-detail", kwargs={"pk": zelda.pk}
    )
    html = done.content.decode()
    assert f"The personal data of member {zelda.pk} was erased." in html
    assert 'id="erasure"' in html and "Mail of today" in html and "sam@example.com" in html
    assert EMAIL not in html and "Zelda" not in html
    erasure = Erasure.objects.get()
    assert (erasure.member_id, erasure.reason) == (zelda.pk, "Mail of today")

    again = staff_client.get(erase_url(zelda), follow=True)
    assert "already been erased" in again.content.decode()
    assert Erasure.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "a\x00b", "x" * 501])
def test_a_bad_reason_changes_nothing(staff_client, person, reason):
    response = staff_client.post(
        erase_url(person.zelda), {"reason": reason, "confirm_email": EMAIL}
    )
    assert response.status_code == 200
    assert not Erasure.objects.exists()
    person.zelda.user.refresh_from_db()
    assert person.zelda.user.email == EMAIL


def test_the_company_has_no_erase_page(staff_client, company):
    response = staff_client.get(erase_url(company), follow=True)
    assert "cannot be erased" in response.content.decode()


def test_the_command_erases_by_e_mail(person, capsys):
    call_command("mlm_erase_person", "--email", EMAIL.upper(), "--reason", "Letter of today")
    assert "Erased: user" in capsys.readouterr().out
    assert Erasure.objects.get().erased_by is None
    with pytest.raises(CommandError, match="No single user"):
        call_command("mlm_erase_person", "--email", EMAIL, "--reason", "Again")
    with pytest.raises(CommandError, match="No single user"):
        call_command("mlm_erase_person", "--email", "a\x00b", "--reason", "x")
    with pytest.raises(CommandError, match="already been erased"):
        erased = Member.objects.get(pk=person.zelda.pk).user.email
        call_command("mlm_erase_person", "--email", erased, "--reason", "Again")
