"""Forms of the residents' pages (staff and the activation page)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.forms import DateInput
from lokalsamfund.core.models import Department


class TenancyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tenancy list (CSV or XLSX)"),
        help_text=_(
            "As the housing administration system exports it: Afdeling, Adresse, Lejemålsnr., "
            "and E-mail and Telefon where known."
        ),
    )
    full_list = forms.BooleanField(
        label=_("This is the full list of the departments in the file"),
        required=False,
        initial=True,
        help_text=_(
            "Tenancies of these departments that are missing from the file are marked as moved "
            "out. Untick for a file with only new or changed tenancies."
        ),
    )
    ignore = forms.CharField(
        label=_("Columns to ignore"),
        required=False,
        help_text=_("Comma-separated, e.g. Navn,Kundenr."),
    )

    def ignored(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data.get("ignore", "").split(",") if c.strip()]


STATUS_CHOICES = [
    ("", _("All current tenancies")),
    ("not_invited", _("Not invited and no letter")),
    ("invited", _("Invited or letter printed, not activated")),
    ("activated", _("Activated (has residents' accounts)")),
    ("email_not_invited", _("With e-mail, not invited, not activated")),
    ("no_email", _("Without e-mail, not activated")),
    ("moved_out", _("Moved out")),
]


class TenancyFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label=_("Address or tenancy number"), required=False, max_length=100)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments


class MoveOutForm(forms.Form):
    moved_out = forms.DateField(label=_("Moved out on"), widget=DateInput())


class ActivationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("The code in the letter, e.g. ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class ActivationAccountForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
