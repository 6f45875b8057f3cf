from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.forms import DateInput
from lokalsamfund.core.models import Department, User

from .models import AllocationRule, DeclineRule, GroupKind


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
        widget=DateInput(),
    )


class SeasonOpenForm(SeasonForm):
    renewal_deadline = forms.DateField(
        label=_("Renewal deadline"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Last season's holders keep their plot if they renew by this day; "
            "the plots of those who do not are freed."
        ),
    )


class GroupForm(forms.Form):
    """A group's settings (creating and editing); the choices come from the view."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("Used on the command line; made from the name if left empty."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_neighbours = forms.BooleanField(
        label=_("Open to neighbours"),
        required=False,
        help_text=_("Neighbours of other ownership forms may join, not only the residents."),
    )
    plan = forms.CharField(
        label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    caretaker_contact = forms.ModelChoiceField(
        label=_("Caretaker contact"), queryset=User.objects.none(), required=False
    )
    resident_contacts = forms.ModelMultipleChoiceField(
        label=_("Resident contacts"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen among the group's members."),
    )
    allocation_rule = forms.ChoiceField(
        label=_("Allocation of plots"), choices=AllocationRule.choices
    )
    decline_rule = forms.ChoiceField(
        label=_("When someone declines a plot"), choices=DeclineRule.choices
    )
    residents_first = forms.BooleanField(
        label=_("Residents before neighbours"), required=False, initial=True
    )
    no_garden_first = forms.BooleanField(
        label=_("People without a garden of their own first"), required=False, initial=True
    )
    reserved_percent = forms.IntegerField(
        label=_("Share reserved for new members (%)"), min_value=0, max_value=100, initial=0
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        caretakers: QuerySet[User],
        members: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        departments_field = self.fields["departments"]
        assert isinstance(departments_field, forms.ModelMultipleChoiceField)  # noqa: S101
        departments_field.queryset = departments
        caretaker_field = self.fields["caretaker_contact"]
        assert isinstance(caretaker_field, forms.ModelChoiceField)  # noqa: S101
        caretaker_field.queryset = caretakers
        contacts_field = self.fields["resident_contacts"]
        assert isinstance(contacts_field, forms.ModelMultipleChoiceField)  # noqa: S101
        if members is None:
            del self.fields["resident_contacts"]
        else:
            contacts_field.queryset = members


class PlotForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=40)
    size_m2 = forms.DecimalField(
        label=_("Size (m²)"), min_value=Decimal(0), max_digits=7, decimal_places=1
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    map_x = forms.DecimalField(
        label=_("Position across the site plan (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_("0 is the left edge of the site plan, 100 the right."),
    )
    map_y = forms.DecimalField(
        label=_("Position down the site plan (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_("0 is the top edge of the site plan, 100 the bottom."),
    )


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Site plan image"),
        help_text=_("A JPEG, PNG or WebP image, at most 8 MB."),
    )


class NewsForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    email = forms.BooleanField(
        label=_("Also send it by e-mail to all members"), required=False, initial=True
    )


class SeasonPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is sown, built and done when: one milestone a line."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the view reads them with ``request.FILES.getlist``)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class LogForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    harvest_kg = forms.DecimalField(
        label=_("Harvest (kg)"),
        localize=True,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=1,
        required=False,
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Optional: up to 4 JPEG, PNG or WebP images, at most 8 MB each. Their location "
            "and camera data are removed."
        ),
    )


class TakeBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("E.g. the plot has not been cultivated this season."),
    )
