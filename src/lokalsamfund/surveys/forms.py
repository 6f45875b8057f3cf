"""Staff forms of the survey domain (the residents' form is built from the questionnaire)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.forms import DateInput
from lokalsamfund.core.models import Department, Organisation

from . import disclosure, services


class RoundForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Used in addresses and on the command line, e.g. maaling-2025. Unique."),
        error_messages={
            "invalid": _(
                "The short name may hold only letters a-z, digits and hyphens, e.g. maaling-2025."
            )
        },
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(label=_("Opens on"), required=False, widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=DateInput())
    min_cell_size = forms.IntegerField(
        label=_("Minimum group size"),
        initial=disclosure.MIN_CELL_SIZE,
        validators=[MinValueValidator(disclosure.MIN_CELL_SIZE)],
        help_text=_("Groups smaller than this show no figures. Never below 5."),
    )

    def __init__(self, *args: Any, organisations: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ModelMultipleChoiceField, self.fields["departments"]).queryset = departments
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, departments = data.get("organisation"), data.get("departments")
        if (
            organisation
            and departments
            and any(d.organisation_id != organisation.pk for d in departments)
        ):
            self.add_error("departments", _("Every department must belong to the organisation."))
        return data


class LettersForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    count = forms.IntegerField(
        label=_("Number of letters"),
        min_value=1,
        max_value=services.MAX_CODES_PER_BATCH,
        help_text=_("One per home. Each letter has its own one-time code."),
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per respondent with a header of item codes; see the import format."),
    )
    ignore = forms.CharField(
        label=_("Columns to ignore"),
        required=False,
        help_text=_("Comma-separated, e.g. respondent_id,timestamp."),
    )

    def ignored(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data.get("ignore", "").split(",") if c.strip()]


class PaperDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
