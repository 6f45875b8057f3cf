"""Forms of the booking pages. They only parse input; the rules live in the services."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import NeighbourHousing, Organisation, Role

from .choices import UseType
from .models import Facility, LettingAgreement
from .selectors import CategoryOption

SCOPE_CHOICES = [("this", _("only this one")), ("following", _("this and the following"))]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PlainForm(forms.Form):
    """Labels without a trailing colon, as on the rest of the site."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BookingTimesForm(PlainForm):
    """Date and times, with an end date for bookings that run past midnight."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput(format="%H:%M"))
    end_time = forms.TimeField(label=_("To"), widget=TimeInput(format="%H:%M"))
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput,
        help_text=_("Only if the booking runs past midnight."),
    )

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        day: date = data["date"]
        start = timezone.make_aware(datetime.combine(day, data["start_time"]))
        end_day: date = data.get("end_date") or day
        end_time: time = data["end_time"]
        if data.get("end_date") is None and end_time <= data["start_time"]:
            end_day = end_day.fromordinal(end_day.toordinal() + 1)  # e.g. 18:00 to 00:00
        end = timezone.make_aware(datetime.combine(end_day, end_time))
        return start, end


class BookingForm(BookingTimesForm):
    category = forms.ChoiceField(label=_("You book as"))
    use_type = forms.ChoiceField(label=_("Use"), choices=UseType.choices)
    whole_house = forms.BooleanField(label=_("The whole house"), required=False)
    rooms = forms.MultipleChoiceField(
        label=_("Rooms"), required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    on_behalf_of = forms.EmailField(
        label=_("On behalf of (e-mail)"),
        required=False,
        help_text=_("Staff only: the person you book for. Leave empty to book for yourself."),
    )
    agreement = forms.ModelChoiceField(
        label=_("Letting agreement"),
        queryset=LettingAgreement.objects.none(),
        required=False,
        help_text=_("Required for external letting."),
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
        staff: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].choices = [(o.category, o.label) for o in options]
        fields["rooms"].choices = [(str(r.pk), r.name) for r in facility.rooms.all()]
        fields["agreement"].queryset = facility.letting_agreements.all()
        if not staff:
            del self.fields["on_behalf_of"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("whole_house") and not data.get("rooms"):
            raise forms.ValidationError(_("Choose the whole house or at least one room."))
        return data


class BookingEditForm(BookingTimesForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(
        label=_("Change"), choices=SCOPE_CHOICES, initial="this", widget=forms.RadioSelect
    )


class ScopeForm(PlainForm):
    scope = forms.ChoiceField(choices=SCOPE_CHOICES, initial="this", widget=forms.RadioSelect)


class RejectForm(ScopeForm):
    reason = forms.CharField(
        label=_("Reason (the booker sees it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


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
