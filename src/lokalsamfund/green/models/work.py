"""Work days, tasks, the rota, members' hours and driften's hours (arbejdsdage, opgaver,
vagtplan, timer). A work day is a date (occurrence) of an activity of the activities domain."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation

from .groups import (
    GreenGroup,
)


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
