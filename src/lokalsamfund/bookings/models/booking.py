"""Bookings, their claims on rooms (the no-overlap invariant) and private calendar feeds."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Association, Department, NeighbourHousing

from ..choices import (
    ACTIVE_STATUSES,
    BookerCategory,
    BookingSource,
    BookingStatus,
    PriceRule,
    UseType,
)
from ..pricing import elapsed_seconds
from .facilities import Facility, Room
from .profiles import LettingAgreement


class BookingSeries(models.Model):
    """A weekly series (e.g. an association's Tuesday evening). Occurrences are bookings."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_date = models.DateField(_("first date"))
    until = models.DateField(_("until"))
    interval_weeks = models.PositiveSmallIntegerField(_("every n weeks"), default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return self.title


class Booking(models.Model):
    """A booking of rooms of a house (or the whole house) by a person or group."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("common house")
    )
    whole_house = models.BooleanField(_("whole house"), default=False)
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facility_bookings",
        verbose_name=_("booked for"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    category = models.CharField(_("booker category"), max_length=30, choices=BookerCategory.choices)
    use_type = models.CharField(_("use type"), max_length=30, choices=UseType.choices)
    # The booker's group, for the usage figures (distinct user groups, cross-ownership use).
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    neighbour_housing = models.ForeignKey(
        NeighbourHousing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbouring housing"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("association"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    source = models.CharField(
        _("source"), max_length=20, choices=BookingSource.choices, default=BookingSource.WEB
    )
    price_rule = models.CharField(
        _("price rule"), max_length=20, choices=PriceRule.choices, default=PriceRule.FREE
    )
    price = models.DecimalField(_("price (kr.)"), max_digits=12, decimal_places=2, default=0)
    price_basis = models.JSONField(_("price calculation"), default=dict, blank=True)
    agreement = models.ForeignKey(
        LettingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("letting agreement"),
    )
    charges_participants = models.BooleanField(
        _("participants pay"),
        default=False,
        help_text=_(
            "If family and friends take part, the budget must be sent to the municipality."
        ),
    )
    budget_sent_on = models.DateField(
        _("budget sent to the municipality on"), null=True, blank=True
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("series"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created")
    )

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes: ClassVar = [
            models.Index(fields=["facility", "status", "starts_at"]),
            models.Index(fields=["booker", "starts_at"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            )
        ]

    # The rooms the booking service just claimed (saves a query when answering at once).
    claimed_rooms: list[Room] | None = None

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.facility.name} {local:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def hours(self) -> Decimal:
        seconds = Decimal(elapsed_seconds(self.starts_at, self.ends_at))
        return seconds / Decimal(3600)


class BookingClaim(models.Model):
    """One blocked room for one booking; the whole house claims every room.

    Active claims of a room never overlap: on PostgreSQL an exclusion constraint (btree_gist,
    migration 0004) holds it under any concurrency; on SQLite the service checks inside an
    IMMEDIATE transaction, which serialises writers.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="claims")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="claims")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("room claim")
        verbose_name_plural = _("room claims")
        indexes: ClassVar = [models.Index(fields=["room", "active", "starts_at", "ends_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="claim_ends_after_start",
            ),
            models.UniqueConstraint(fields=["booking", "room"], name="claim_once_per_room"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret key of a user's private iCal feed of their own bookings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} {self.key[:6]}…"
