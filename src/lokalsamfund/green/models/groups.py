"""Green groups (grønne fællesskaber), their members, plots (haver, bede) and the season's
applications and allocation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation


class GroupKind(models.TextChoices):
    GARDEN = "garden", _("garden")
    BEES = "bees", _("bees")
    COMPOST = "compost", _("compost")
    BIODIVERSITY = "biodiversity", _("biodiversity")
    ORCHARD = "orchard", _("orchard")


class AllocationRule(models.TextChoices):
    WAITLIST = "waitlist", _("first come, by the waitlist")
    LOTTERY = "lottery", _("lottery among those who applied by the deadline")


class DeclineRule(models.TextChoices):
    BOTTOM = "bottom", _("whoever declines goes to the bottom of the waitlist")
    KEEP = "keep", _("whoever declines keeps their place")


class GreenGroup(models.Model):
    """A green group of one or more departments: a garden, bees, compost, biodiversity or an
    orchard. Its activities are the calendar's (read only here)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="green_groups",
        verbose_name=_("organisation"),
    )
    departments = models.ManyToManyField(
        Department, related_name="green_groups", verbose_name=_("departments")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        help_text=_("Used in addresses and on the command line; unique in the organisation."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    open_to_neighbours = models.BooleanField(
        _("open to neighbours"),
        default=False,
        help_text=_(
            "Neighbours of other ownership forms may join, not only the departments' residents."
        ),
    )
    plan = models.TextField(_("plan"), blank=True)
    resident_contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="green_groups_as_contact",
        verbose_name=_("resident contacts"),
    )
    caretaker_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="green_groups_as_caretaker",
        verbose_name=_("caretaker contact"),
    )
    activities = models.ManyToManyField(
        "activities.Activity",
        blank=True,
        related_name="+",
        verbose_name=_("activities"),
    )
    allocation_rule = models.CharField(
        _("allocation of plots"),
        max_length=20,
        choices=AllocationRule.choices,
        default=AllocationRule.WAITLIST,
    )
    decline_rule = models.CharField(
        _("when someone declines a plot"),
        max_length=20,
        choices=DeclineRule.choices,
        default=DeclineRule.BOTTOM,
    )
    residents_first = models.BooleanField(_("residents before neighbours"), default=True)
    no_garden_first = models.BooleanField(
        _("people without a garden of their own first"), default=True
    )
    reserved_percent = models.PositiveSmallIntegerField(
        _("share reserved for new members (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("green group")
        verbose_name_plural = _("green groups")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(reserved_percent__lte=100), name="green_group_reserved_percent"
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="green_group_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="green_memberships",
        verbose_name=_("user"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["group", "user"], name="green_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group}"


class Plot(models.Model):
    """A bed or plot (have, bed) of a group."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="plots", verbose_name=_("group")
    )
    label = models.CharField(_("label"), max_length=40)
    size_m2 = models.DecimalField(
        _("size (m²)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    # Where the plot is on the group's site plan, in per cent of its width and height.
    map_x = models.DecimalField(
        _("position across the site plan (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    map_y = models.DecimalField(
        _("position down the site plan (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering: ClassVar = ["group", "label"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["group", "label"], name="green_plot_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class Season(models.Model):
    """A group's season (a year) of plots: applications, the lottery and the waitlist."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="seasons", verbose_name=_("group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    seed = models.BigIntegerField(_("lottery seed"), null=True, blank=True)
    draw = models.JSONField(_("draw order"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("lottery run"), null=True, blank=True)
    renewal_deadline = models.DateField(
        _("renewal deadline"),
        null=True,
        blank=True,
        help_text=_("Last season's holders keep their plot if they renew by this day."),
    )

    class Meta:
        ordering: ClassVar = ["group", "-year"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["group", "year"], name="green_season_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}"


class ApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("on the waitlist")
    OFFERED = "offered", _("offered a plot")
    ALLOCATED = "allocated", _("has a plot")
    DECLINED = "declined", _("declined, keeps the place")
    SAME_HOUSEHOLD = "household", _("the household has a plot")
    GIVEN_BACK = "given_back", _("gave the plot back")
    TAKEN_BACK = "taken_back", _("the plot was taken back")
    NOT_RENEWED = "not_renewed", _("did not renew by the deadline")


class PlotApplication(models.Model):
    """A member's application for a plot in a season. ``ticket`` is its number in the order of
    applying (published with the draw instead of names); ``position`` its place on the
    waitlist."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="applications", verbose_name=_("season")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plot_applications",
        verbose_name=_("user"),
    )
    ticket = models.PositiveIntegerField(_("ticket number"))
    household = models.CharField(_("household"), max_length=200)
    resident = models.BooleanField(_("resident of the group's departments"), default=False)
    own_garden = models.BooleanField(_("has a garden of their own"), default=False)
    new_member = models.BooleanField(_("new member"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.WAITING,
    )
    position = models.PositiveIntegerField(_("place on the waitlist"), null=True, blank=True)
    plot = models.ForeignKey(
        Plot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("plot"),
    )
    created_at = models.DateTimeField(_("applied"), default=timezone.now)
    # A holder's plot from last season, kept for them until the renewal deadline (status
    # "offered"; accepting renews it).
    renewal = models.BooleanField(_("renewal of last season's plot"), default=False)
    # Why the contact took the plot back (not cultivated, ...); empty otherwise.
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["season", "ticket"]
        verbose_name = _("plot application")
        verbose_name_plural = _("plot applications")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["season", "user"], name="green_application_once"),
            models.UniqueConstraint(fields=["season", "ticket"], name="green_application_ticket"),
            models.UniqueConstraint(
                fields=["season", "plot"],
                condition=Q(plot__isnull=False),
                name="green_plot_once_per_season",
            ),
            models.UniqueConstraint(
                fields=["season", "household"],
                condition=Q(status__in=["offered", "allocated"]),
                name="green_one_plot_per_household",
            ),
            models.UniqueConstraint(
                fields=["season", "position"],
                condition=Q(position__isnull=False),
                name="green_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "allocated"], plot__isnull=False)
                | (~Q(status__in=["offered", "allocated"]) & Q(plot__isnull=True)),
                name="green_plot_when_offered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} #{self.ticket}"
