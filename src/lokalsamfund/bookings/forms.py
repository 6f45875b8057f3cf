"""Forms of the booking pages. They only parse input; the rules live in the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core import formatting
from lokalsamfund.core.forms import DateInput, TimeInput
from lokalsamfund.core.models import NeighbourHousing, Organisation, Role, User

from .choices import UseType
from .models import Facility, FixedSlot, LettingAgreement
from .selectors import CategoryOption

SCOPE_CHOICES = [("this", _("only this one")), ("following", _("this and the following"))]


class PlainForm(forms.Form):
    """Labels without a trailing colon, as on the rest of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BookingTimesForm(PlainForm):
    """Date and times, with an end date for bookings that run past midnight.

    Without an end date, an end at 00:00 is midnight after the start day; any other end before
    the start is a mistake and says so (it is not read as the next morning)."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput)
    end_time = forms.TimeField(label=_("To"), widget=TimeInput)
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput,
        help_text=_("Only if the booking runs past midnight."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.typed_times_apply(data):
            return data
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        end_day = data.get("end_date")
        if end_day is None and end == time(0):
            return data  # until midnight
        words = {"start": formatting.clock(start, _lang()), "end": formatting.clock(end, _lang())}
        if end_day is not None and end_day != day:
            words = {
                "start": formatting.long_date(day, _lang()) + " " + words["start"],
                "end": formatting.long_date(end_day, _lang()) + " " + words["end"],
            }
        if (end_day or day, end) == (day, start):
            self.add_error("end_time", _("The end (%(end)s) is the same as the start.") % words)
        elif (end_day or day, end) < (day, start):
            self.add_error(
                "end_date" if end_day is not None and end_day < day else "end_time",
                _(
                    "The end (%(end)s) is before the start (%(start)s). If the booking runs "
                    "past midnight, give the end date."
                )
                % words,
            )
        return data

    def typed_times_apply(self, data: dict[str, Any]) -> bool:
        """Whether the typed times are used (not when a fixed slot is chosen)."""
        return True

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        day: date = data["date"]
        start = timezone.make_aware(datetime.combine(day, data["start_time"]))
        end_day: date = data.get("end_date") or day
        end_time: time = data["end_time"]
        if data.get("end_date") is None and end_time == time(0):
            end_day = end_day.fromordinal(end_day.toordinal() + 1)  # until midnight
        end = timezone.make_aware(datetime.combine(end_day, end_time))
        return start, end


def _lang() -> str:
    return formatting.language(get_language())


class ResidentChoiceField(forms.ModelChoiceField):
    """A resident by name and home (the home recorded in the organisation)."""

    def label_from_instance(self, obj: Any) -> str:
        home = getattr(obj, "home_label", "") or ""
        return f"{obj.get_full_name()}, {home}" if home else str(obj.get_full_name())


class BookingForm(BookingTimesForm):
    category = forms.ChoiceField(label=_("You book as"))
    use_type = forms.ChoiceField(label=_("Use"))
    whole_house = forms.BooleanField(label=_("The whole house"), required=False)
    rooms = forms.MultipleChoiceField(
        label=_("Rooms"), required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    on_behalf_of = ResidentChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
        empty_label=_("Myself"),
        help_text=_(
            "Staff only: the resident you book for (name and home); their household's "
            "monthly bookings count."
        ),
    )
    slot = forms.TypedChoiceField(
        label=_("Fixed slot"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "The house rules give fixed times for some uses; the times above then follow the slot."
        ),
    )
    agreement = forms.ModelChoiceField(
        label=_("Letting agreement"),
        queryset=LettingAgreement.objects.none(),
        required=False,
        help_text=_("Required for external letting; only your own agreements are listed."),
    )
    charges_participants = forms.BooleanField(
        label=_("Participants pay (family and friends may join)"), required=False
    )
    repeat_until = forms.DateField(
        label=_("Repeat weekly until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for a single booking."),
    )
    skip_conflicts = forms.BooleanField(
        label=_("Skip dates that are taken"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        facility: Facility,
        options: list[CategoryOption],
        use_types: list[str],
        agreements: QuerySet[LettingAgreement],
        residents: QuerySet[User] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].choices = [(o.category, o.label) for o in options]
        fields["use_type"].choices = [(u, UseType(u).label) for u in use_types]
        fields["rooms"].choices = [(r.name, r.name) for r in facility.rooms.all()]
        fields["agreement"].queryset = agreements
        self.slots = {s.pk: s for s in facility.fixed_slots.all()}
        if self.slots:
            fields["slot"].choices = [("", _("No fixed slot"))] + [
                (s.pk, slot_label(s)) for s in self.slots.values()
            ]
            fields["start_time"].required = False
            fields["end_time"].required = False
        else:
            del self.fields["slot"]
        if residents is None:
            del self.fields["on_behalf_of"]
        else:
            fields["on_behalf_of"].queryset = residents

    def typed_times_apply(self, data: dict[str, Any]) -> bool:
        return not data.get("slot")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        use_type = data.get("use_type")
        slot_id = data.get("slot")
        for_use = [s for s in self.slots.values() if s.use_type == use_type]
        if slot_id:
            slot = self.slots[slot_id]
            if use_type and slot.use_type != use_type:
                self.add_error(
                    "slot",
                    _("The slot %(slot)s is for %(use)s.")
                    % {"slot": slot_label(slot), "use": UseType(slot.use_type).label},
                )
        elif for_use:
            self.add_error(
                "slot",
                _("%(use)s is booked in fixed slots here: choose one.")
                % {"use": UseType(str(use_type)).label.capitalize()},
            )
        else:
            for name in ("start_time", "end_time"):
                if (
                    name in self.fields
                    and not self.fields[name].required
                    and name not in self.errors
                    and not data.get(name)
                ):
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data

    def times(self) -> tuple[datetime, datetime]:
        slot_id = self.cleaned_data.get("slot")
        if not slot_id:
            return super().times()
        slot = self.slots[slot_id]
        naive = datetime.combine(self.cleaned_data["date"], slot.starts_at)
        start = timezone.make_aware(naive)
        return start, timezone.make_aware(naive + timedelta(hours=slot.duration_hours))


def slot_label(slot: FixedSlot) -> str:
    """``Fest: fra kl. 10.00 i 26 timer``."""
    return str(
        _("%(label)s: from %(start)s for %(hours)d hours")
        % {
            "label": slot.label,
            "start": formatting.clock(slot.starts_at, _lang()),
            "hours": slot.duration_hours,
        }
    )


class BookingEditForm(BookingTimesForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(
        label=_("Change"), choices=SCOPE_CHOICES, initial="this", widget=forms.RadioSelect
    )


class ScopeForm(PlainForm):
    scope = forms.ChoiceField(
        label=_("Which bookings"),
        choices=SCOPE_CHOICES,
        initial="this",
        widget=forms.RadioSelect,
    )


class RejectForm(ScopeForm):
    reason = forms.CharField(
        label=_("Reason (the booker sees it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SeriesDecisionForm(PlainForm):
    """The dates of a series to approve (checked); the others are declined with the reason."""

    approve = forms.TypedMultipleChoiceField(
        label=_("Approve these dates"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the dates you decline (the booker sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, pending: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["approve"].choices = [(b.pk, str(b.pk)) for b in pending]
        fields["approve"].initial = [b.pk for b in pending]


class GuestRegistrationForm(PlainForm):
    kind = forms.ChoiceField(
        label=_("I register as"),
        choices=[
            (Role.NEIGHBOUR.value, _("a neighbour (andel, ejer or private rental)")),
            (Role.ASSOCIATION.value, _("a local association")),
        ],
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    neighbour_housing = forms.ModelChoiceField(
        label=_("The housing you live in"),
        queryset=NeighbourHousing.objects.none(),
        required=False,
        help_text=_("Neighbours only."),
    )
    home = forms.CharField(
        label=_("Your address"),
        max_length=200,
        required=False,
        help_text=_("Neighbours only. People at the same address share the monthly bookings."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    association_name = forms.CharField(
        label=_("Association's name"), max_length=200, required=False
    )
    association_cvr = forms.CharField(
        label=_("Association's CVR number"),
        max_length=8,
        required=False,
        help_text=_("If it has one."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["neighbour_housing"].queryset = organisation.neighbour_housings.all()


class BudgetSentForm(PlainForm):
    sent_on = forms.DateField(label=_("Budget sent to the municipality on"), widget=DateInput)
