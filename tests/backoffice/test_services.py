"""The back office's CRM services: notes, follow-ups, tags, and staff reads that are logged."""

import datetime as dt

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_backoffice import services
from oscar_mlm.apps.mlm_backoffice.exceptions import CrmError, NotStaff, NotYourCustomer
from oscar_mlm.test.factories import UserFactory

pytestmark = pytest.mark.django_db

CustomerNote = get_model("mlm_backoffice", "CustomerNote")
FollowUp = get_model("mlm_backoffice", "FollowUp")
CustomerTag = get_model("mlm_backoffice", "CustomerTag")
NoteRead = get_model("mlm_backoffice", "NoteRead")

TODAY = timezone.localdate


def test_a_note_about_an_own_customer(net):
    note = services.add_note(
        distributor=net["anna"], customer=net["dora"], channel="visit", text="  Liked it.  "
    )
    assert (note.channel, note.text, note.contacted) == ("visit", "Liked it.", TODAY())
    with pytest.raises(TypeError):  # a diary: append-only
        note.save()


@pytest.mark.parametrize(
    "who, whom",
    [
        ("anna", "ben"),  # first line, but a distributor
        ("anna", "emil"),  # downline, but Carla's customer
        ("anna", "yara"),  # another leg
        ("dora", "dora"),  # a customer has no customers
        ("zoe", "dora"),
    ],
)
def test_notes_only_about_own_customers(net, who, whom):
    with pytest.raises(NotYourCustomer):
        services.add_note(distributor=net[who], customer=net[whom], channel="call", text="x")
    assert CustomerNote.objects.count() == 0


@pytest.mark.parametrize(
    "channel, text, contacted, message",
    [
        ("fax", "x", None, "Choose how you were in contact"),
        ("", "x", None, "Choose how you were in contact"),
        ("call", "   ", None, "The note is empty."),
        ("call", "a\x00b", None, "cannot be stored"),
        ("call", "x" * 5001, None, "too long"),
        ("call", "x", "tomorrow", "lies in the future"),
        ("call", "x", dt.date(1999, 12, 31), "too far in the past"),
        ("call", "x", "2024-01-01", "is not a date"),
        ("call", "x", dt.datetime(2024, 1, 1), "is not a date"),
    ],
)
def test_bad_notes_are_refused_and_change_nothing(net, channel, text, contacted, message):
    if contacted == "tomorrow":
        contacted = TODAY() + dt.timedelta(days=1)
    with pytest.raises(CrmError) as error:
        services.add_note(
            distributor=net["anna"], customer=net["dora"], channel=channel, text=text,
            contacted=contacted,
        )  # fmt: skip
    assert message in error.value.message
    assert CustomerNote.objects.count() == 0


def test_the_note_length_is_a_setting(net, settings):
    settings.OSCAR_MLM_CRM_NOTE_MAX_LENGTH = 10
    with pytest.raises(CrmError):
        services.add_note(distributor=net["anna"], customer=net["dora"], channel="call",
                          text="x" * 11)  # fmt: skip
    services.add_note(distributor=net["anna"], customer=net["dora"], channel="call", text="x" * 10)


def test_follow_ups_are_planned_and_done_once(net):
    anna, dora = net["anna"], net["dora"]
    follow_up = services.add_follow_up(distributor=anna, customer=dora, due=TODAY(), text="Call")
    assert follow_up.done is None and not follow_up.is_overdue()
    done = services.complete_follow_up(distributor=anna, follow_up=follow_up.pk)
    assert done.done is not None
    again = services.complete_follow_up(distributor=anna, follow_up=follow_up)
    assert again.done == done.done


@pytest.mark.parametrize(
    "due, text, message",
    [
        (-1, "x", "lies in the past"),
        (5 * 366 + 1, "x", "too far ahead"),
        (1, "", "is empty"),
        (1, "x" * 501, "too long"),
        ("2030-01-01", "x", "is not a date"),
    ],
)
def test_bad_follow_ups_are_refused(net, due, text, message):
    if isinstance(due, int):
        due = TODAY() + dt.timedelta(days=due)
    with pytest.raises(CrmError) as error:
        services.add_follow_up(distributor=net["anna"], customer=net["dora"], due=due, text=text)
    assert message in error.value.message
    assert FollowUp.objects.count() == 0


def test_nobody_completes_another_distributors_follow_up(net):
    follow_up = services.add_follow_up(
        distributor=net["zoe"], customer=net["yara"], due=TODAY(), text="x"
    )
    for value in (follow_up.pk, str(follow_up.pk), "²", None, 10**30):
        with pytest.raises(CrmError):
            services.complete_follow_up(distributor=net["anna"], follow_up=value)
    follow_up.refresh_from_db()
    assert follow_up.done is None


def test_tags_are_the_distributors_own_list(net):
    anna, dora = net["anna"], net["dora"]
    second = net["dora"].__class__.objects.create(
        parent=anna, kind="customer", user=UserFactory(first_name="Frida")
    )
    tags = services.set_tags(distributor=anna, customer=dora, tags=" VIP, skin  care,vip ,, ")
    assert [t.name for t in tags] == ["skin care", "VIP"]
    services.set_tags(distributor=anna, customer=second, tags=["vip"])
    assert CustomerTag.objects.filter(distributor=anna).count() == 2  # "vip" is "VIP"
    services.set_tags(distributor=anna, customer=dora, tags="VIP")
    # "skin care" is on no customer any more: it leaves the list.
    assert sorted(CustomerTag.objects.values_list("name", flat=True)) == ["VIP"]
    assert CustomerTag.objects.get().customers.count() == 2
    services.set_tags(distributor=net["zoe"], customer=net["yara"], tags="VIP")
    assert CustomerTag.objects.count() == 2  # Zoe's VIP is hers


@pytest.mark.parametrize(
    "tags, message",
    [
        (",".join(f"t{i}" for i in range(11)), "At most 10 tags"),
        ("x" * 41, "at most 40 characters"),
        ("a\x00b", "at most 40 characters"),
    ],
)
def test_bad_tags_are_refused(net, tags, message):
    services.set_tags(distributor=net["anna"], customer=net["dora"], tags="keep")
    with pytest.raises(CrmError) as error:
        services.set_tags(distributor=net["anna"], customer=net["dora"], tags=tags)
    assert message in error.value.message
    assert list(CustomerTag.objects.values_list("name", flat=True)) == ["keep"]


def test_staff_read_notes_and_each_read_is_logged(net):
    anna, dora = net["anna"], net["dora"]
    services.add_note(distributor=anna, customer=dora, channel="call", text="About Dora")
    services.add_note(distributor=net["zoe"], customer=net["yara"], channel="call", text="Other")
    staff = UserFactory(is_staff=True)
    read = services.read_notes_as_staff(staff_user=staff, member=anna, reason="Ticket 42")
    assert [n.text for n in read.written] == ["About Dora"] and read.about == []
    about = services.read_notes_as_staff(staff_user=staff, member=dora)
    assert [n.text for n in about.about] == ["About Dora"] and about.written == []
    logged = list(NoteRead.objects.order_by("pk").values_list("staff", "member", "notes", "reason"))
    assert logged == [(staff.pk, anna.pk, 1, "Ticket 42"), (staff.pk, dora.pk, 1, "")]


@pytest.mark.parametrize("user", [None, "customer", "plain"])
def test_only_staff_read_notes(net, user):
    user = {None: None, "customer": net["dora"].user, "plain": UserFactory()}[user]
    with pytest.raises(NotStaff):
        services.read_notes_as_staff(staff_user=user, member=net["anna"])
    assert NoteRead.objects.count() == 0


def test_a_reason_too_long_is_refused_and_not_logged(net):
    with pytest.raises(CrmError):
        services.read_notes_as_staff(
            staff_user=UserFactory(is_staff=True), member=net["anna"], reason="x" * 501
        )
    assert NoteRead.objects.count() == 0
