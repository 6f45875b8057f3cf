"""Forms of the calendar pages: an activity (create, propose, edit), moving one date, a
reason. They only read input; the services decide (``services.activities``)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.bookings.models import Facility, Room
from lokalsamfund.core.forms import DateInput, TimeInput
from lokalsamfund.core.models import Association, Department, Organisation

from .models import TargetGroup, Visibility

REPEATS = [
    ("", _("Once")),
    ("FREQ=WEEKLY", _("Every week")),
    ("FREQ=WEEKLY;INTERVAL=2", _("Every other week")),
    ("FREQ=MONTHLY", _("Every month (same date)")),
]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    activity_type = forms.ChoiceField(label=_("Type of activity"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    # The site's other language (LANGUAGES: Danish and English); shown to English visitors.
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea, required=False
    )
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("No association"),
        help_text=_("The local association that holds the activity, if any."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(label=_("First date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, initial=120)
    repeats = forms.ChoiceField(label=_("Repeats"), choices=REPEATS, required=False)
    until = forms.DateField(
        label=_("Last date (empty: no end)"),
        required=False,
        widget=DateInput(),
    )
    rrule = forms.CharField(
        label=_("Or a rule of your own (RFC 5545 RRULE)"),
        required=False,
        max_length=300,
        help_text=_("For example FREQ=WEEKLY;BYDAY=TU,TH. Leave empty to use the choice above."),
    )
    facility = forms.ModelChoiceField(
        label=_("Common house"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Not in a common house"),
    )
    whole_house = forms.BooleanField(label=_("The whole house"), required=False)
    rooms = forms.ModelMultipleChoiceField(
        label=_("Rooms"),
        queryset=Room.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.CharField(label=_("Place (when not in a common house)"), required=False)
    target_group = forms.ChoiceField(label=_("For whom"), choices=TargetGroup.choices)
    visibility = forms.ChoiceField(label=_("Open to"), choices=Visibility.choices)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    sign_language = forms.BooleanField(label=_("Sign language"), required=False)
    accessibility_note = forms.CharField(
        label=_("Accessibility note"), max_length=300, required=False
    )
    price = forms.DecimalField(
        label=_("Price (kr.)"), min_value=0, decimal_places=2, initial=0, required=False
    )
    signup_required = forms.BooleanField(label=_("Sign-up"), required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, required=False)
    signup_closes_hours = forms.IntegerField(
        label=_("Sign-up closes (hours before)"), min_value=0, required=False
    )
    waitlist = forms.BooleanField(label=_("Waitlist"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        departments: list[Department],
        types: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["activity_type"].choices = types  # type: ignore[attr-defined]
        ids = [d.pk for d in departments]
        self.fields["departments"].queryset = Department.objects.filter(pk__in=ids).order_by("code")  # type: ignore[attr-defined]
        self.fields["association"].queryset = Association.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        if not self.fields["association"].queryset.exists():  # type: ignore[attr-defined]
            del self.fields["association"]
        houses = Facility.objects.filter(organisation=organisation, is_active=True)
        self.fields["facility"].queryset = houses.order_by("name")  # type: ignore[attr-defined]
        self.fields["rooms"].queryset = (  # type: ignore[attr-defined]
            Room.objects.filter(facility__in=houses)
            .select_related("facility")
            .order_by("facility__name", "name")
        )
        self.fields["rooms"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"{r.facility.name}: {r.name}"
        )

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["date"], data["start_time"]))

    def rule(self) -> str:
        data = self.cleaned_data
        own = (data.get("rrule") or "").strip()
        if own:
            return own
        rule = data.get("repeats") or ""
        until = data.get("until")
        if rule and until:
            end = timezone.make_aware(datetime.combine(until, time(23, 59, 59)))
            rule += ";UNTIL=" + end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return rule

    def details(self, translations: dict[str, Any] | None = None) -> dict[str, Any]:
        """The further fields for the service; ``translations``: the activity's stored ones
        (languages this form does not edit are kept)."""
        data = self.cleaned_data
        texts = dict(translations or {})
        english = {
            "title": (data.get("title_en") or "").strip(),
            "description": (data.get("description_en") or "").strip(),
        }
        if english["title"] or english["description"]:
            texts["en"] = english
        else:
            texts.pop("en", None)
        extra: dict[str, Any] = {"translations": texts}
        if "association" in self.fields:
            extra["association"] = data.get("association")
        return {
            **extra,
            "target_group": data["target_group"],
            "visibility": data["visibility"],
            "step_free": data["step_free"],
            "hearing_loop": data["hearing_loop"],
            "sign_language": data["sign_language"],
            "accessibility_note": data["accessibility_note"],
            "price": data.get("price") or 0,
            "signup_required": data["signup_required"],
            "capacity": data.get("capacity"),
            "signup_closes_hours": data.get("signup_closes_hours"),
            "waitlist": data["waitlist"],
        }

    def house(self) -> tuple[Facility | None, list[Room], bool]:
        data = self.cleaned_data
        facility = data.get("facility")
        if facility is None:
            return None, [], False
        rooms = [r for r in data.get("rooms") or [] if r.facility_id == facility.pk]
        return facility, rooms, bool(data.get("whole_house"))


class MoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        start = timezone.make_aware(datetime.combine(data["date"], data["start_time"]))
        end = timezone.make_aware(datetime.combine(data["date"], data["end_time"]))
        return start, end


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
