"""Forms of the data protection contact's pages (rights requests about referrals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class RightsSearchForm(forms.Form):
    name = forms.CharField(label=_("The resident's name"), required=False, max_length=200)
    address = forms.CharField(label=_("The resident's address"), required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("Give a name or an address."))
        return data


class RectifyForm(forms.Form):
    name = forms.CharField(label=_("The resident's name"), required=False, max_length=200)
    address = forms.CharField(label=_("The resident's address"), required=False, max_length=300)
    identity_reason = forms.CharField(
        label=_("Reason for naming the resident without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    free_text = forms.CharField(
        label=_("The caretaker's text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    explanation = forms.CharField(
        label=_("Why it is rectified"),
        help_text=_("E.g. the resident's request of a date. Kept with the referral, encrypted."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
