from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplyForm(forms.Form):
    own_garden = forms.BooleanField(
        label=_("I have a garden of my own"),
        required=False,
        help_text=_(
            "People without a garden of their own may come first, if the group decides so."
        ),
    )


class SeasonForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Application deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
