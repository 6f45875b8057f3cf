"""Forms of the decision tool: they check input and hand it to services (no rules here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department

from . import labels, planning
from .models import ActivityType, Distribution

RISK_CHOICES = [
    ("", _("Expected value (risk-neutral)")),
    ("0.25", _("Cautious: 25th percentile")),
    ("0.1", _("Very cautious: 10th percentile")),
]


class PlanForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"))
    budget_dkk = forms.FloatField(
        label=_("Budget (DKK a year)"),
        min_value=0,
        max_value=planning.MAX_BUDGET_DKK,
        initial=100000,
    )
    coordinator_hours = forms.FloatField(
        label=_("Coordinator hours a year"),
        min_value=0,
        max_value=planning.MAX_HOURS,
        initial=planning.DEFAULT_COORDINATOR_HOURS,
    )
    driften_hours = forms.FloatField(
        label=_("Caretaker hours a year"),
        min_value=0,
        max_value=planning.MAX_HOURS,
        initial=planning.DEFAULT_DRIFTEN_HOURS,
    )
    facility_hours = forms.FloatField(
        label=_("Free common-house hours a year"),
        required=False,
        min_value=0,
        max_value=planning.MAX_HOURS,
        help_text=_("Leave empty to use the booking system's figure (or the default)."),
    )
    risk_quantile = forms.ChoiceField(
        label=_("What to maximise"), choices=RISK_CHOICES, required=False
    )
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, max_value=2**32 - 1, initial=planning.DEFAULT_SEED
    )
    draws = forms.IntegerField(
        label=_("Simulations"),
        min_value=planning.MIN_DRAWS,
        max_value=planning.MAX_DRAWS,
        initial=planning.DEFAULT_DRAWS,
    )
    example_data = forms.BooleanField(
        label=_("Use labelled example data if the department has no survey results"),
        required=False,
    )
    title = forms.CharField(label=_("Title (to save)"), required=False, max_length=200)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = departments

    def plan_request(self) -> planning.PlanRequest:
        data = self.cleaned_data
        return planning.PlanRequest(
            budget_dkk=data["budget_dkk"],
            coordinator_hours=data["coordinator_hours"],
            driften_hours=data["driften_hours"],
            facility_hours=data.get("facility_hours"),
            seed=data["seed"],
            draws=data["draws"],
            risk_quantile=float(data["risk_quantile"]) if data.get("risk_quantile") else None,
            allow_example=bool(data.get("example_data")),
        )


class ActivityTypeForm(forms.ModelForm):
    barriers = forms.MultipleChoiceField(
        label=_("Barriers addressed"),
        choices=[(k, v) for k, v in labels.BARRIERS.items() if k != "barrier_no_need"],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wishes = forms.MultipleChoiceField(
        label=_("Wishes met"),
        choices=list(labels.WISHES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.CharField(
        label=_("Target groups (comma-separated)"), required=False, max_length=300
    )

    class Meta:
        model = ActivityType
        fields = (
            "slug",
            "name_da",
            "name_en",
            "description_da",
            "description_en",
            "barriers",
            "wishes",
            "target_groups",
            "sessions_per_year",
            "participants_per_session",
            "participants_low",
            "participants",
            "participants_high",
            "lonely_share_low",
            "lonely_share",
            "lonely_share_high",
            "coordinator_hours",
            "volunteer_hours",
            "driften_hours",
            "materials_dkk",
            "facility_hours",
            "max_scale",
            "evidence_class",
            "source",
            "estimate_note",
            "is_active",
        )
        widgets: Any = {
            "description_da": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
            "estimate_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]
        if self.instance.pk and not self.is_bound:
            self.initial["target_groups"] = ", ".join(self.instance.target_groups)

    def clean_target_groups(self) -> list[str]:
        raw = self.cleaned_data.get("target_groups") or ""
        return [t.strip() for t in raw.split(",") if t.strip()]

    def validate_unique(self) -> None:
        """Uniqueness within the organisation is the service's rule."""


class ParameterForm(forms.Form):
    value = forms.FloatField(label=_("Value"))
    low = forms.FloatField(label=_("Low"))
    high = forms.FloatField(label=_("High"))
    distribution = forms.ChoiceField(label=_("Distribution"), choices=Distribution.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ValueBankForm(forms.Form):
    file = forms.FileField(
        label=_("Value bank (CSV with the columns outcome, value, unit, source)"),
        help_text=_("Units: DKK/person/year or GBP/person/year. The file replaces your bank."),
    )
