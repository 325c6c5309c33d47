from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from oscar_mlm.apps.mlm_network import tree
from oscar_mlm.conf import get_setting
from oscar_mlm.parsing import clean_text, parse_id

from .structure import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, Filters

Member = get_model("mlm_network", "Member")
CustomerNote = get_model("mlm_backoffice", "CustomerNote")
FollowUp = get_model("mlm_backoffice", "FollowUp")

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _search(value):
    text = clean_text(value, SEARCH_MAX_LENGTH)
    if text is None:
        raise forms.ValidationError(
            _("Search for at most %(max)s characters, without control characters.")
            % {"max": SEARCH_MAX_LENGTH}
        )
    if text and len(text) < SEARCH_MIN_LENGTH:
        raise forms.ValidationError(
            _("Type at least %(min)s characters of the name.") % {"min": SEARCH_MIN_LENGTH}
        )
    return text


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)

    def clean_q(self):
        return _search(self.cleaned_data["q"])


class StructureFilterForm(forms.Form):
    """The filters of the downline list; a value it cannot read is an error, not ignored."""

    q = forms.CharField(label=_("Name"), required=False)
    level = forms.CharField(label=_("Level"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), (Member.DISTRIBUTOR, _("Partners")),
                 (Member.CUSTOMER, _("Customers"))],
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Member.STATUS_CHOICES],
    )

    def clean_q(self):
        return _search(self.cleaned_data["q"])

    def clean_level(self):
        value = self.cleaned_data["level"]
        if value in ("", None):
            return None
        level = parse_id(value, maximum=tree.MAX_DEPTH)
        if level is None:
            raise forms.ValidationError(
                _("A level is a whole number from 1 (your first line) downwards.")
            )
        return level

    def filters(self):
        data = self.cleaned_data
        return Filters(
            level=data.get("level"),
            kind=data.get("kind") or None,
            status=data.get("status") or None,
            q=data.get("q") or "",
        )


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = {str(tag.pk): tag for tag in tags}
        self.fields["tag"].choices = [("", _("All"))] + [
            (str(tag.pk), f"{tag.name} ({tag.count})") for tag in tags
        ]

    def clean_q(self):
        return _search(self.cleaned_data["q"])

    def clean_tag(self):
        value = self.cleaned_data["tag"]
        return self.tags.get(value) if value else None


class NoteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How"), choices=CustomerNote.CHANNEL_CHOICES, widget=forms.RadioSelect
    )
    contacted = forms.DateField(label=_("When"), widget=DATE_WIDGET)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"contacted": timezone.localdate()})
        super().__init__(*args, **kwargs)
        max_length = int(get_setting("OSCAR_MLM_CRM_NOTE_MAX_LENGTH"))
        self.fields["text"].validators.append(MaxLengthValidator(max_length))
        self.fields["text"].widget.attrs["maxlength"] = max_length


class FollowUpForm(forms.Form):
    due = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)
    text = forms.CharField(
        label=_("What to do"), max_length=FollowUp._meta.get_field("text").max_length
    )


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas, e.g. “regular, skin care”."),
    )
