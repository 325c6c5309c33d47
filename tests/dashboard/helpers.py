from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from oscar.core.loading import get_model

Member = get_model("mlm_network", "Member")
SponsorChange = get_model("mlm_network", "SponsorChange")


def db_counts():
    """What a refused request must leave unchanged."""
    return (
        get_user_model().objects.count(),
        Member.objects.count(),
        SponsorChange.objects.count(),
    )


def url(name, **kwargs):
    return reverse(f"mlm_dashboard:{name}", kwargs=kwargs or None)


def assert_form_error(response, field, message, form_name="form"):
    """The message is attached to ``field`` (None: above the form) and shown in the page."""
    assert response.status_code == 200
    form = response.context[form_name]
    key = field or "__all__"
    assert str(message) in form.errors.get(key, []), form.errors
    assert escape(str(message)) in response.content.decode()


def page_messages(response):
    return [str(m) for m in response.context["messages"]]
