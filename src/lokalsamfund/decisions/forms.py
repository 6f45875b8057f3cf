"""Forms of the decision tool: they check input and hand it to services (no rules here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core import formatting
from lokalsamfund.core.models import Department

from . import labels, planning, selectors
from .models import ActivityType, Distribution
from .services import ACTIVITY_FIELDS

RISK_CHOICES = [
    ("", _("Expected value (risk-neutral)")),
    ("0.25", _("Cautious: 25th percentile")),
    ("0.1", _("Very cautious: 10th percentile")),
]


class PlanForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"))
    round = forms.ChoiceField(
        label=_("Survey round"),
        required=False,
        help_text=_(
            "The round must cover the department. Empty: the department's latest closed round "
            "whose results are shown (a later round with too few answers is skipped)."
        ),
    )
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
        help_text=_(
            "Only when the department has no closed survey round with shown results; every "
            "page, PDF and JSON then says EXAMPLE DATA."
        ),
        required=False,
    )
    local_evidence = forms.BooleanField(
        label=_("Use the network's local evidence for participants"),
        help_text=_(
            "Where other organisations' realised reach of an activity type is shown in the "
            "catalogue, and your department has none of its own, the plan takes its "
            "participants from it instead of the catalogue's estimate. The plan says so."
        ),
        required=False,
    )
    title = forms.CharField(label=_("Title (to save)"), required=False, max_length=200)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = departments
        rounds = self.fields["round"]
        assert isinstance(rounds, forms.ChoiceField)  # noqa: S101 - declared above
        lang = formatting.language(get_language())
        rounds.choices = [("", _("Latest round with shown results (recommended)"))] + [
            (
                r.slug,
                _("%(title)s (%(slug)s), closed %(date)s")
                % {
                    "title": r.title,
                    "slug": r.slug,
                    "date": formatting.long_date(
                        timezone.localdate(r.closed_at), lang, weekday=False
                    )
                    if r.closed_at
                    else "–",
                },
            )
            for r in selectors.closed_rounds_for(departments)
        ]

    def plan_request(self) -> planning.PlanRequest:
        data = self.cleaned_data
        return planning.PlanRequest(
            budget_dkk=data["budget_dkk"],
            coordinator_hours=data["coordinator_hours"],
            driften_hours=data["driften_hours"],
            facility_hours=data.get("facility_hours"),
            round_slug=data.get("round") or None,
            seed=data["seed"],
            draws=data["draws"],
            risk_quantile=float(data["risk_quantile"]) if data.get("risk_quantile") else None,
            allow_example=bool(data.get("example_data")),
            use_local_evidence=bool(data.get("local_evidence")),
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
        fields = ("slug", *ACTIVITY_FIELDS)
        error_messages: Any = {
            "slug": {
                "invalid": _(
                    "The short name may hold only letters a-z, digits, hyphens and "
                    "underscores, e.g. faellesspisning."
                )
            }
        }
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
