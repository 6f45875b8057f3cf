from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ToolKind


class ShedForm(forms.Form):
    location = forms.CharField(label=_("Where the shed is"), max_length=200, required=False)
    hold_hours = forms.IntegerField(
        label=_("Hours a returned tool is kept for the next in the queue"),
        min_value=1,
        max_value=24 * 14,
        initial=48,
    )
    max_renewals = forms.IntegerField(
        label=_("Renewals per loan"), min_value=0, max_value=20, initial=2
    )


class ToolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ToolKind.choices, initial=ToolKind.TOOL)
    loan_days = forms.IntegerField(
        label=_("Loan period (days)"), min_value=1, max_value=365, initial=7
    )
    needs_handover = forms.BooleanField(
        label=_("Needs a caretaker's handover"),
        required=False,
        help_text=_(
            "The loan starts when a caretaker hands it over and ends when one takes it back."
        ),
    )
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)
    quantity = forms.IntegerField(
        label=_("Quantity (consumables)"), min_value=0, max_value=100000, initial=0
    )
    unit = forms.CharField(label=_("Unit (consumables)"), max_length=30, required=False)


class TakeForm(forms.Form):
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=100000, initial=1)


class ConditionForm(forms.Form):
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)
