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
            )
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
            models.CheckConstraint(
                condition=Q(status__in=["offered", "allocated"], plot__isnull=False)
                | (~Q(status__in=["offered", "allocated"]) & Q(plot__isnull=True)),
                name="green_plot_when_offered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} #{self.ticket}"


# Work days, tasks, the rota, members' hours and driften's hours (arbejdsdage, opgaver,
# vagtplan, timer). A work day is a date (occurrence) of an activity of the activities domain.


class GroupWorkSettings(models.Model):
    """How a group runs its work days: how many hours before a work day an unclaimed task
    falls back to the group's contact."""

    group = models.OneToOneField(
        GreenGroup, on_delete=models.CASCADE, related_name="work_settings", verbose_name=_("group")
    )
    fallback_hours = models.PositiveIntegerField(
        _("unclaimed tasks fall back to the contact (hours before)"),
        default=48,
        validators=[MaxValueValidator(24 * 30)],
    )

    class Meta:
        verbose_name = _("work-day settings")
        verbose_name_plural = _("work-day settings")

    def __str__(self) -> str:
        return str(self.group)


class WorkDay(models.Model):
    """A work day (arbejdsdag): one date of an activity on the calendar, with tasks."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="work_days", verbose_name=_("group")
    )
    occurrence = models.OneToOneField(
        "activities.Occurrence",
        on_delete=models.CASCADE,
        related_name="green_work_day",
        verbose_name=_("date of the activity"),
    )

    class Meta:
        verbose_name = _("work day")
        verbose_name_plural = _("work days")

    def __str__(self) -> str:
        return f"{self.group} · {self.occurrence.starts_at:%Y-%m-%d}"


class WorkTask(models.Model):
    """A task of a work day with the hands it needs, its tools and who leads it."""

    work_day = models.ForeignKey(
        WorkDay, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("work day")
    )
    title = models.CharField(_("task"), max_length=200)
    hands = models.PositiveSmallIntegerField(
        _("hands"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    tools = models.CharField(_("tools"), max_length=300, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="green_tasks_led",
        verbose_name=_("led by"),
    )
    signed_up_count = models.PositiveSmallIntegerField(_("signed up"), default=0)
    fallen_back_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="green_tasks_fallen_back",
        verbose_name=_("fell back to"),
    )
    fallen_back_at = models.DateTimeField(_("fell back"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["work_day", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(hands__gte=1), name="green_task_hands_positive"),
            models.CheckConstraint(
                condition=Q(signed_up_count__lte=models.F("hands")),
                name="green_task_never_more_than_hands",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskSignUp(models.Model):
    task = models.ForeignKey(
        WorkTask, on_delete=models.CASCADE, related_name="signups", verbose_name=_("task")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="green_task_signups",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        verbose_name = _("task sign-up")
        verbose_name_plural = _("task sign-ups")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["task", "user"], name="green_task_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.task}"


class Material(models.Model):
    """Something to order for a task (a simple list, ticked when ordered)."""

    task = models.ForeignKey(
        WorkTask, on_delete=models.CASCADE, related_name="materials", verbose_name=_("task")
    )
    name = models.CharField(_("material"), max_length=200)
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["task", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name


class Rota(models.Model):
    """A rota (vagtplan) for a recurring task, week by week (e.g. watering in the holidays)."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="rotas", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering: ClassVar = ["group", "title"]
        verbose_name = _("rota")
        verbose_name_plural = _("rotas")

    def __str__(self) -> str:
        return self.title


class RotaTurn(models.Model):
    """One member's turn in a rota: the week starting ``week`` (a Monday). A member offers
    their turn; another takes it (``swapped_from`` is who had it)."""

    rota = models.ForeignKey(
        Rota, on_delete=models.CASCADE, related_name="turns", verbose_name=_("rota")
    )
    week = models.DateField(_("week starting"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="green_rota_turns",
        verbose_name=_("whose turn"),
    )
    offered_at = models.DateTimeField(_("offered to others"), null=True, blank=True)
    swapped_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken over from"),
    )

    class Meta:
        ordering: ClassVar = ["rota", "week"]
        verbose_name = _("rota turn")
        verbose_name_plural = _("rota turns")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["rota", "week"], name="green_rota_one_turn_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.rota} {self.week}"


class MemberHours(models.Model):
    """Hours a member worked that were not planned, confirmed by a contact of the group."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="member_hours", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="green_member_hours",
        verbose_name=_("member"),
    )
    day = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    what = models.CharField(_("what"), max_length=300)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "-pk"]
        verbose_name = _("member's hours")
        verbose_name_plural = _("members' hours")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="green_member_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.hours}"


class DriftenHours(models.Model):
    """Hours driften (a caretaker) spent on green work in a department on a date."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="green_driften_hours",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="green_driften_hours",
        verbose_name=_("department"),
    )
    caretaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="green_driften_hours",
        verbose_name=_("caretaker"),
    )
    day = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    what = models.CharField(_("what"), max_length=300)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "-pk"]
        verbose_name = _("driften's hours")
        verbose_name_plural = _("driften's hours")
        indexes: ClassVar = [models.Index(fields=["department", "day"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="green_driften_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caretaker} {self.department} {self.day} {self.hours}"
