"""Forms of the referral pages. Rules live in services/referrals.py; these only read input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, User

from .models import IdentityBasis, Observation, Outcome, Urgency
from .services.referrals import MAX_FREE_TEXT, MAX_IDENTITY, MAX_NOTE, RECORDABLE


class ReferralForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Department"), empty_label=None
    )
    observations = forms.MultipleChoiceField(
        label=_("What have you noticed?"),
        choices=Observation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    child_affected = forms.BooleanField(label=_("A child may be affected"), required=False)
    consent_to_contact = forms.BooleanField(
        label=_("The resident agrees that the social worker contacts them"), required=False
    )
    identity_basis = forms.ChoiceField(
        label=_("May the resident be named?"),
        choices=[
            (IdentityBasis.NOT_NAMED, _("No: do not name the resident")),
            (IdentityBasis.CONSENT, _("Yes: the resident agreed to be named")),
            (
                IdentityBasis.VITAL_INTERESTS,
                _("Acute risk: the resident cannot agree (write why below)"),
            ),
        ],
        initial=IdentityBasis.NOT_NAMED,
        widget=forms.RadioSelect,
    )
    resident_name = forms.CharField(label=_("Name"), max_length=MAX_IDENTITY, required=False)
    resident_address = forms.CharField(label=_("Address"), max_length=MAX_IDENTITY, required=False)
    identity_reason = forms.CharField(
        label=_("Why name the resident without consent?"),
        max_length=MAX_FREE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    free_text = forms.CharField(
        label=_("A few words (optional)"),
        max_length=MAX_FREE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Write what you saw, not what you think is wrong: no diagnoses, no illness, no "
            "guesses about the resident's health."
        ),
    )
    keep_draft = forms.BooleanField(
        label=_(
            "Keep the name and text on this phone until I send it (only on a phone no one "
            "else uses)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["free_text"].widget.attrs["aria-describedby"] = "free-text-warning"


class RecordForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(k.value, k.label) for k in RECORDABLE],
        widget=forms.RadioSelect,
        initial=RECORDABLE[0].value,
    )
    text = forms.CharField(
        label=_("Text"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Social worker"))

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = candidates  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
