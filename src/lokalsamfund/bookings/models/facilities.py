"""Common houses (fælleshuse), their rooms, fixed slots and annual costs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import time
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.revisions import OwnedRowsQuerySet, Revisioned

from ..choices import UseType
from ..pricing import AnnualCosts


def money(label: Any) -> Any:
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=Decimal("0"))


class FacilityQuerySet(models.QuerySet["Facility"]):
    def update(self, **kwargs: Any) -> int:
        """Every update renews the revision (see ``Facility.revision``)."""
        kwargs.setdefault("revision", uuid.uuid4())
        return super().update(**kwargs)


class Facility(Revisioned):
    """A common house (fælleshus) of a department, with rooms.

    Its revision is renewed also when its rooms, fixed slots, effective policy profile (or
    that profile's rules and terms), organisation or department change; the booking service
    checks it again under the house's lock before it writes.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="facilities",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="facilities",
        verbose_name=_("department"),
    )
    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for booking"), default=True)
    policy_profile = models.ForeignKey(
        "bookings.PolicyProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("own policy profile"),
        help_text=_("Leave empty to use the organisation's default profile."),
    )
    opens_at = models.TimeField(_("opens at"), default=time(7, 0))
    closes_at = models.TimeField(
        _("closes at"),
        default=time(0, 0),
        help_text=_("00:00 means midnight; the same time as it opens means open around the clock."),
    )
    min_duration_minutes = models.PositiveIntegerField(
        _("minimum duration (minutes)"), default=60, validators=[MinValueValidator(15)]
    )
    max_duration_minutes = models.PositiveIntegerField(
        _("maximum duration (minutes)"), default=17 * 60, validators=[MinValueValidator(15)]
    )
    monthly_quota_per_household = models.PositiveIntegerField(
        _("bookings per household per month"),
        default=2,
        help_text=_("For residents and neighbours; 0 means no limit."),
    )
    deposit_note = models.TextField(_("deposit"), blank=True)
    key_handover_note = models.TextField(_("key handover"), blank=True)
    cleaning_checklist = models.TextField(
        _("cleaning checklist"), blank=True, help_text=_("One item per line.")
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("common house")
        verbose_name_plural = _("common houses")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def touch(facility_ids: Iterable[int]) -> None:
        """Give these houses a new revision, so that cached copies are not used again."""
        Facility.objects.filter(pk__in=set(facility_ids)).update(revision=uuid.uuid4())

    @property
    def cleaning_items(self) -> list[str]:
        return [line.strip() for line in self.cleaning_checklist.splitlines() if line.strip()]

    def daily_open_minutes(self) -> int:
        opens = self.opens_at.hour * 60 + self.opens_at.minute
        closes = self.closes_at.hour * 60 + self.closes_at.minute
        if closes <= opens:
            closes += 24 * 60
        return closes - opens


def touch_facilities_of(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal handler: an organisation or department was saved; its houses (copied into
    per-process caches with them) get new revisions."""
    if isinstance(instance, Department):
        houses = Facility.objects.filter(department_id=instance.pk)
    else:
        houses = Facility.objects.filter(organisation_id=instance.pk)
    houses.update(revision=uuid.uuid4())


class _FacilityPartQuerySet(OwnedRowsQuerySet):
    """Bulk writes of rooms and fixed slots renew their houses' revisions."""

    owner_field = "facility_id"

    def touch_owners(self, owner_ids: Iterable[int]) -> None:
        Facility.touch(owner_ids)


class _FacilityPart(models.Model):
    """A part of a house (a room, a fixed slot): saving or deleting it renews the revision of
    its house (of both houses when it moves), in the same transaction."""

    facility_id: int

    objects = _FacilityPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            ids = {self.facility_id}
            if self.pk is not None:  # a part moved to another house: both houses change
                before = type(self).objects.filter(pk=self.pk)
                ids |= set(before.values_list("facility_id", flat=True))
            super().save(*args, **kwargs)
            Facility.touch(ids)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using")):
            facility_id = self.facility_id
            result = super().delete(*args, **kwargs)
            Facility.touch([facility_id])
        return result


class Room(_FacilityPart):
    """A room of a common house. Booking the whole house blocks its rooms, and vice versa."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("common house")
    )
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=0)

    class Meta:
        ordering: ClassVar = ["facility", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["facility", "name"], name="room_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facility.name}: {self.name}"


class FixedSlot(_FacilityPart):
    """A fixed slot from the house rules, e.g. a party from 10:00 for 26 hours.

    When a house has fixed slots for a use type, bookings of that use type must match one
    (start time and wall-clock duration); opening hours and maximum duration then do not apply.
    """

    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        related_name="fixed_slots",
        verbose_name=_("common house"),
    )
    use_type = models.CharField(_("use type"), max_length=30, choices=UseType.choices)
    label = models.CharField(_("label"), max_length=100)
    starts_at = models.TimeField(_("starts at"))
    duration_hours = models.PositiveIntegerField(
        _("duration (hours)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering: ClassVar = ["facility", "use_type", "starts_at"]
        verbose_name = _("fixed slot")
        verbose_name_plural = _("fixed slots")

    def __str__(self) -> str:
        return f"{self.label} ({self.starts_at:%H:%M}, {self.duration_hours} t)"


class FacilityCosts(models.Model):
    """A house's operating costs for one year, the basis of cost-recovery prices."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="costs", verbose_name=_("common house")
    )
    year = models.PositiveIntegerField(_("year"))
    utilities = money(_("utilities (heat, water, power)"))
    cleaning = money(_("cleaning"))
    maintenance = money(_("maintenance"))
    insurance = money(_("insurance"))
    administration = money(_("administration"))
    expected_hours = models.DecimalField(
        _("expected booked hours"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1"))],
    )

    class Meta:
        ordering: ClassVar = ["facility", "-year"]
        verbose_name = _("annual costs")
        verbose_name_plural = _("annual costs")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["facility", "year"], name="facility_costs_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} {self.year}"

    def as_annual_costs(self) -> AnnualCosts:
        return AnnualCosts(
            year=self.year,
            utilities=self.utilities,
            cleaning=self.cleaning,
            maintenance=self.maintenance,
            insurance=self.insurance,
            administration=self.administration,
            expected_hours=self.expected_hours,
        )
