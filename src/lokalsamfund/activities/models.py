"""Activities (aktiviteter): the calendar, sign-ups and participation.

An ``Activity`` is a one-off or recurring event (RRULE in Europe/Copenhagen). Its occurrences
are stored as ``Occurrence`` rows, expanded from the rule (by ``recurring-ical-events``) up to
a horizon and extended as time passes: sign-ups, a fælleshus booking and a headcount belong to
one occurrence, and a moved or cancelled occurrence keeps its ``recurrence_id`` (the start the
rule gave it), as RECURRENCE-ID does in iCalendar.

Names on a sign-up list are kept only until the occurrence has been held; then the list is
reduced to counts on the occurrence (``signed_up_count``, ``waitlist_count``) and the rows are
deleted. A headcount has no names at all.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Association, Department, Organisation


class Visibility(models.TextChoices):
    DEPARTMENTS = "departments", _("the departments' residents")
    NEIGHBOURS = "neighbours", _("residents, neighbours and associations")
    PUBLIC = "public", _("everyone")


class ActivityStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, awaiting approval")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    DECLINED = "declined", _("declined")
    PUBLISHED = "published", _("published")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    CHILDREN = "children", _("children")
    FAMILIES = "families", _("families with children")
    YOUTH = "youth", _("young people")
    ADULTS = "adults", _("adults")
    SENIORS = "seniors", _("seniors")
    NEWCOMERS = "newcomers", _("new residents")


class Activity(models.Model):
    """An activity (aktivitet) of an organisation's departments: one-off when ``rrule`` is
    empty, else recurring by ``rrule`` (RFC 5545 RRULE without DTSTART) from ``starts_at``,
    whose wall-clock time in Europe/Copenhagen is kept across daylight saving."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    departments = models.ManyToManyField(
        Department, related_name="activities", verbose_name=_("departments")
    )
    activity_type = models.SlugField(
        _("activity type"),
        max_length=60,
        help_text=_("A key of the decision tool's catalogue."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Other languages: {"en": {"title": ..., "description": ...}, "ar": {...}}
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    # Place: rooms of a fælleshus (claimed through the booking service), or free text.
    facility = models.ForeignKey(
        "bookings.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("common house"),
    )
    rooms = models.ManyToManyField(
        "bookings.Room", blank=True, related_name="activities", verbose_name=_("rooms")
    )
    whole_house = models.BooleanField(_("whole house"), default=False)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Where, when not in a common house.")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_activities", verbose_name=_("organisers")
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("association"),
    )
    target_group = models.CharField(
        _("for whom"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.EVERYONE
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    sign_language = models.BooleanField(_("sign language"), default=False)
    accessibility_note = models.CharField(_("accessibility note"), max_length=300, blank=True)
    price = models.DecimalField(
        _("price (kr.)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    visibility = models.CharField(
        _("open to"), max_length=20, choices=Visibility.choices, default=Visibility.DEPARTMENTS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decision_note = models.TextField(_("reason or requested changes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Time: the first occurrence's start (aware), its length, and the rule.
    starts_at = models.DateTimeField(_("first start"))
    duration_minutes = models.PositiveIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(5)]
    )
    rrule = models.CharField(
        _("repeats"), max_length=300, blank=True, help_text=_("RFC 5545 RRULE, e.g. FREQ=WEEKLY")
    )
    # Occurrences are stored up to this moment (the whole series when it has an end).
    expanded_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Sign-up (optional).
    signup_required = models.BooleanField(_("sign-up"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    signup_closes_hours = models.PositiveIntegerField(
        _("sign-up closes (hours before)"), null=True, blank=True
    )
    waitlist = models.BooleanField(_("waitlist"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Raised by every service that changes what the department feeds show of the activity
    # (its details, status or one of its dates): part of the cached feeds' key
    # (``ical.department_feed_cached``), so a moved or cancelled date shows at once.
    feed_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Occurrence(models.Model):
    """One time an activity takes place. ``recurrence_id`` is the start the rule gave it (the
    first start for a one-off); ``starts_at``/``ends_at`` are where it is now (moved when they
    differ). A cancelled occurrence stays as the EXDATE of the series."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("activity")
    )
    recurrence_id = models.DateTimeField(_("original start"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.SCHEDULED,
    )
    # Set when this occurrence was changed on its own (moved, a note, cancelled).
    changed = models.BooleanField(_("changed on its own"), default=False)
    note = models.CharField(_("note for this time"), max_length=300, blank=True)
    booking = models.OneToOneField(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_occurrence",
        verbose_name=_("booking"),
    )
    # Counts kept after the names are deleted (see the module docstring).
    signed_up_count = models.PositiveIntegerField(_("signed up"), default=0)
    waitlist_count = models.PositiveIntegerField(_("on the waitlist"), default=0)
    names_deleted_at = models.DateTimeField(_("names deleted"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "recurrence_id"], name="activities_occurrence_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="activities_occurrence_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.activity.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class SignUpStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waitlist")
    CANCELLED = "cancelled", _("cancelled")


class SignUpChannel(models.TextChoices):
    ACCOUNT = "account", _("by the participant")
    EMAIL = "email", _("without an account, confirmed by e-mail")
    STAFF = "staff", _("by staff (phoned in)")


class SignUp(models.Model):
    """A place (or a waitlist position) at one occurrence. A participant is a user, or a name
    with an e-mail or phone (sign-up without an account, or phoned in). Deleted once the
    occurrence has been held (the counts stay on the occurrence)."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="signups", verbose_name=_("occurrence")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_signups",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("status"), max_length=20, choices=SignUpStatus.choices)
    # 1, 2, 3 ... in order while on the waitlist; empty otherwise.
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    channel = models.CharField(
        _("how"), max_length=20, choices=SignUpChannel.choices, default=SignUpChannel.ACCOUNT
    )
    # Keyed hash of the e-mail link's token (confirm and cancel without an account).
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The language the participant signed up in: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default="da")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed up by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="activities_signup_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="activities_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="activities_waitlist_position_iff_waitlisted",
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="activities_signup_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence} ({self.get_status_display()})"


class Headcount(models.Model):
    """How many took part in one occurrence, recorded by an organiser afterwards: no names.
    Age bands and new faces are optional (empty when not counted)."""

    occurrence = models.OneToOneField(
        Occurrence, on_delete=models.CASCADE, related_name="headcount", verbose_name=_("occurrence")
    )
    total = models.PositiveIntegerField(_("participants"))
    children = models.PositiveIntegerField(_("children (under 18)"), null=True, blank=True)
    adults = models.PositiveIntegerField(_("adults (18-64)"), null=True, blank=True)
    seniors = models.PositiveIntegerField(_("seniors (65 and over)"), null=True, blank=True)
    new_faces = models.PositiveIntegerField(_("new faces"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_faces__isnull=True) | Q(new_faces__lte=models.F("total")),
                name="activities_headcount_new_faces_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence}: {self.total}"


class ActivitySettings(models.Model):
    """An organisation's rules for activities (defaults when it has no row)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="activity_settings",
        verbose_name=_("organisation"),
    )
    board_may_approve = models.BooleanField(
        _("department boards approve proposals"),
        default=False,
        help_text=_("Besides the coordinators, a department's board may approve its proposals."),
    )
    residents_may_propose = models.BooleanField(_("residents propose activities"), default=True)
    # Disclosure control of participation figures (privacy.md rule 1): may be raised.
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum group size in participation figures"),
        default=5,
        validators=[MinValueValidator(5)],
        help_text=_("Figures of fewer participants than this are hidden. Never below 5."),
    )

    class Meta:
        verbose_name = _("activity settings")
        verbose_name_plural = _("activity settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_cell_size__gte=5), name="activities_settings_min_cell_size"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)
