import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network.signup import SignupContext
from oscar_mlm.test.factories import CustomerFactory, DistributorFactory

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")
User = get_user_model()

REGISTER = "/accounts/register/"
LOGIN = "/accounts/login/"


def form_data(**extra):
    data = {
        "email": "new@example.com",
        "first_name": "Nina",
        "last_name": "Neu",
        "password1": "a-Long-pass-123",
        "password2": "a-Long-pass-123",
    }
    data.update(extra)
    return data


@pytest.fixture
def sponsor_id_policy(settings):
    settings.OSCAR_MLM_COMPANY_SIGNUP = "sponsor_id"


@pytest.fixture
def anna(company):
    return DistributorFactory(parent=company, handle="anna")


def test_oscar_register_url_is_ours():
    assert reverse("customer:register") == REGISTER


# -- policy "none" (the default) ------------------------------------------------------------


def test_policy_none_shows_where_to_sign_up(client, company):
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert b'id="signup-closed"' in response.content
    assert b"password1" not in response.content


def test_policy_none_refuses_post_and_creates_nothing(client, anna):
    response = client.post(REGISTER, form_data(sponsor_id="anna"))
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


def test_policy_none_login_page_has_no_registration_form(client, anna):
    response = client.get(LOGIN)
    assert b'id="signup-closed"' in response.content
    assert b'id="register_form"' not in response.content
    response = client.post(
        LOGIN,
        {"registration_submit": "1", **{f"registration-{k}": v for k, v in form_data().items()}},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


# -- policy "sponsor_id" ----------------------------------------------------------------------


def test_sponsor_id_form_requires_sponsor(client, anna, sponsor_id_policy):
    response = client.get(REGISTER)
    assert b'name="sponsor_id"' in response.content
    response = client.post(REGISTER, form_data())
    assert response.status_code == 200
    assert "sponsor_id" in response.context["form"].errors
    assert User.objects.count() == anna.__class__.objects.filter(user__isnull=False).count()
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    "sponsor_id, message",
    [
        ("nobody", "No sponsor with this id exists"),
        ("999999", "No sponsor with this id exists"),
        ("inactive", "not active"),
        ("customer", "Only the company or an active distributor"),
    ],
)
def test_bad_sponsor_id_gives_clear_error_and_no_user(
    client, anna, sponsor_id_policy, sponsor_id, message
):
    DistributorFactory(parent=anna, handle="inactive", status="inactive")
    customer = CustomerFactory(parent=anna)
    if sponsor_id == "customer":
        sponsor_id = str(customer.pk)
    users, members = User.objects.count(), Member.objects.count()
    response = client.post(REGISTER, form_data(sponsor_id=sponsor_id))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["sponsor_id"])
    assert (User.objects.count(), Member.objects.count()) == (users, members)


@pytest.mark.parametrize("typed", ["anna", "ANNA ", "by-number"])
def test_sign_up_with_sponsor_id_places_customer_below_sponsor(
    client, anna, sponsor_id_policy, typed
):
    typed = str(anna.pk) if typed == "by-number" else typed
    response = client.post(REGISTER, form_data(sponsor_id=typed))
    assert response.status_code == 302
    member = Member.objects.get(user__email="new@example.com")
    assert (member.parent, member.kind) == (anna, "customer")
    assert SponsorChange.objects.get(member=member).source == "signup"
    assert client.session.get("_auth_user_id") == str(member.user_id)


def test_company_root_is_not_a_sponsor_id(client, company, sponsor_id_policy):
    response = client.post(REGISTER, form_data(sponsor_id=str(company.pk)))
    assert "sponsor_id" in response.context["form"].errors


def test_login_page_registration_with_sponsor_id(client, anna, sponsor_id_policy):
    data = {f"registration-{k}": v for k, v in form_data(sponsor_id="anna").items()}
    response = client.post(LOGIN, {"registration_submit": "Register", **data})
    assert response.status_code == 302
    assert Member.objects.get(user__email="new@example.com").parent == anna


def test_sign_up_fails_cleanly_when_sponsor_deactivated_meanwhile(
    client, anna, sponsor_id_policy, monkeypatch
):
    """The sponsor passes the form check but is inactive when the member is saved."""
    from oscar_mlm.apps.mlm_network import forms

    original = forms.clean_sponsor_id

    def clean_then_deactivate(value):
        sponsor = original(value)
        Member.objects.filter(pk=sponsor.pk).update(status="inactive")
        return sponsor

    monkeypatch.setattr(forms, "clean_sponsor_id", clean_then_deactivate)
    response = client.post(REGISTER, form_data(sponsor_id="anna"))
    assert response.status_code == 200
    assert "not active" in str(response.context["form"].errors)
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_fails_cleanly_when_the_address_was_taken_meanwhile(
    client, anna, sponsor_id_policy, monkeypatch
):
    """The address passes the form check, then someone else gets it before the save."""
    from oscar_mlm.apps.mlm_network import forms

    original = forms.SignupForm.clean_email

    def clean_then_taken(form):
        email = original(form)
        User.objects.create_user(username="other", email=email.upper(), password="x")
        return email

    monkeypatch.setattr(forms.SignupForm, "clean_email", clean_then_taken)
    response = client.post(REGISTER, form_data(sponsor_id="anna"))
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["email"])
    assert User.objects.filter(email__iexact="new@example.com").count() == 1
    assert not Member.objects.filter(user__email__iexact="new@example.com").exists()


def test_invalid_password_keeps_nothing(client, anna, sponsor_id_policy):
    response = client.post(REGISTER, form_data(sponsor_id="anna", password2="other"))
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()


# -- resolvers (the storefront plugs in here) ------------------------------------------------

resolved = {}


def fake_resolver(request):
    return resolved.get("context")


def test_resolver_supplies_sponsor_and_hides_sponsor_field(client, anna, settings):
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = ["tests.network.test_signup.fake_resolver"]
    resolved["context"] = SignupContext(sponsor=anna, kind="distributor")
    try:
        response = client.get(REGISTER)
        assert b'name="sponsor_id"' not in response.content
        other = DistributorFactory(parent=anna, handle="other")
        # A forged sponsor field is ignored: the resolver decides.
        response = client.post(REGISTER, form_data(sponsor_id=other.handle))
        assert response.status_code == 302
        member = Member.objects.get(user__email="new@example.com")
        assert (member.parent, member.kind) == (anna, "distributor")
        assert member.handle
    finally:
        resolved.clear()


def test_resolver_answering_none_falls_back_to_policy(client, company, settings):
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = ["tests.network.test_signup.fake_resolver"]
    response = client.get(REGISTER)
    assert b'id="signup-closed"' in response.content


def test_bad_policy_setting_is_reported(client, company, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.OSCAR_MLM_COMPANY_SIGNUP = "everyone"
    with pytest.raises(ImproperlyConfigured):
        client.get(REGISTER)


# -- the one precedence (services.sign_up) ---------------------------------------------------


def email_resolver(email):
    return resolved.get("email")


@pytest.fixture
def resolvers(settings):
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = ["tests.network.test_signup.fake_resolver"]
    settings.OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS = ["tests.network.test_signup.email_resolver"]
    yield resolved
    resolved.clear()


def new_user(email="new@example.com"):
    return User.objects.create_user(email.split("@")[0], email, "pw")


def test_sign_up_prefers_the_email_then_the_request_then_the_typed_sponsor(
    company, anna, resolvers, sponsor_id_policy
):
    from oscar_mlm.apps.mlm_network import services

    ben = DistributorFactory(parent=company, handle="ben")
    carla = DistributorFactory(parent=company, handle="carla")
    # Only the typed sponsor id: a customer of that sponsor.
    member = services.sign_up(user=new_user("a@example.com"), sponsor=carla)
    assert (member.parent, member.kind, member.attribution) == (carla, "customer", "sponsor_id")
    # The request's answer (a partner link) beats the typed id, and decides the kind.
    link = SignupContext(sponsor=ben, kind="distributor", attribution="storefront", storefront=ben)
    member = services.sign_up(user=new_user("b@example.com"), signup=link, sponsor=carla)
    assert (member.parent, member.kind, member.attribution) == (ben, "distributor", "storefront")
    assert member.attributed_storefront == ben
    # A sponsor bound to the e-mail beats both; the kind and handle still follow the request.
    resolvers["email"] = SignupContext(
        sponsor=anna, source="voucher", attribution="voucher", storefront=anna
    )
    member = services.sign_up(
        user=new_user("c@example.com"), signup=link, sponsor=carla, handle="cee"
    )
    assert (member.parent, member.kind, member.handle) == (anna, "distributor", "cee")
    assert (member.attribution, member.attributed_storefront) == ("voucher", anna)
    assert SponsorChange.objects.get(member=member).source == "voucher"


def test_sign_up_without_any_source_is_refused_and_a_typed_id_needs_the_policy(company, anna):
    from oscar_mlm.apps.mlm_network import services
    from oscar_mlm.apps.mlm_network.exceptions import SponsorRequired

    with pytest.raises(SponsorRequired):
        services.sign_up(user=new_user("a@example.com"))
    # Policy "none" (the default): a sponsor id that reached the service anyway counts for nothing.
    with pytest.raises(SponsorRequired):
        services.sign_up(user=new_user("b@example.com"), sponsor=anna)
    assert not Member.objects.filter(user__email__in=["a@example.com", "b@example.com"]).exists()


def test_a_customer_link_ignores_a_handle(company, anna, resolvers):
    from oscar_mlm.apps.mlm_network import services

    member = services.sign_up(
        user=new_user(), signup=SignupContext(sponsor=anna, attribution="storefront"), handle="x"
    )
    assert (member.kind, member.handle) == ("customer", None)


def test_installed_apps_wire_their_own_resolvers(settings):
    from oscar_mlm.apps.mlm_network.signup import (
        EMAIL_RESOLVERS,
        REQUEST_RESOLVERS,
        resolver_paths,
    )

    assert not hasattr(settings, "OSCAR_MLM_SIGNUP_RESOLVERS")  # the default, None
    assert resolver_paths(REQUEST_RESOLVERS) == [
        "oscar_mlm.apps.mlm_storefront.signup.storefront_signup",
        "oscar_mlm.apps.mlm_storefront.signup.attribution_signup",
    ]
    assert resolver_paths(EMAIL_RESOLVERS) == [
        "oscar_mlm.apps.mlm_vouchers.signup.guest_signup",
        "oscar_mlm.apps.mlm_commissions.signup.guest_order_sponsor",
    ]
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = []
    assert resolver_paths(REQUEST_RESOLVERS) == []


def test_a_list_that_leaves_out_an_installed_apps_resolver_is_reported(settings):
    from oscar_mlm.apps.mlm_network.checks import check_signup_resolvers

    assert check_signup_resolvers(None) == []
    settings.OSCAR_MLM_SIGNUP_RESOLVERS = [
        "oscar_mlm.apps.mlm_storefront.signup.storefront_signup",
        "tests.network.test_signup.no_such_resolver",
    ]
    settings.OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS = []
    found = {(m.id, m.msg.split(" ")[0]) for m in check_signup_resolvers(None)}
    assert found == {
        ("oscar_mlm.E003", "OSCAR_MLM_SIGNUP_RESOLVERS"),
        ("oscar_mlm.W002", "OSCAR_MLM_SIGNUP_RESOLVERS"),
        ("oscar_mlm.W002", "OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS"),
    }
    messages = " ".join(m.msg for m in check_signup_resolvers(None))
    assert "attribution_signup" in messages and "guest_signup" in messages
    assert "guest_order_sponsor" in messages
