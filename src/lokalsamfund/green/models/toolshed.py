"""The tool shed (redskabsskuret) of a green group: tools, consumables, loans, the queue
(holds) and withdrawals."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .groups import (
    GreenGroup,
)


class ToolShed(models.Model):
    """A green group's tool shed (redskabsskur): tools and consumables its members borrow.
    One shed per group; the group's contacts and staff run it."""

    group = models.OneToOneField(
        GreenGroup, on_delete=models.CASCADE, related_name="tool_shed", verbose_name=_("group")
    )
    location = models.CharField(_("where the shed is"), max_length=200, blank=True)
    hold_hours = models.PositiveSmallIntegerField(
        _("hours a returned tool is kept for the next in the queue"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    max_renewals = models.PositiveSmallIntegerField(
        _("renewals per loan"), default=2, validators=[MaxValueValidator(20)]
    )

    class Meta:
        verbose_name = _("tool shed")
        verbose_name_plural = _("tool sheds")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(hold_hours__gte=1), name="green_shed_hold_hours")
        ]

    def __str__(self) -> str:
        return str(_("Tool shed of %(group)s") % {"group": self.group})


class ToolKind(models.TextChoices):
    TOOL = "tool", _("tool or equipment (lent and returned)")
    CONSUMABLE = "consumable", _("consumable (taken, e.g. seeds)")


class Tool(models.Model):
    """A tool or piece of equipment (lent for ``loan_days`` and returned), or a consumable
    such as seeds (taken from ``quantity``). A tool that ``needs_handover`` (a hedge trimmer)
    is handed over and taken back by a caretaker or contact."""

    shed = models.ForeignKey(
        ToolShed, on_delete=models.CASCADE, related_name="tools", verbose_name=_("tool shed")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ToolKind.choices, default="tool")
    loan_days = models.PositiveSmallIntegerField(
        _("loan period (days)"), default=7, validators=[MinValueValidator(1)]
    )
    needs_handover = models.BooleanField(
        _("needs a caretaker's handover"),
        default=False,
        help_text=_(
            "The loan starts when a caretaker hands it over and ends when one takes it back."
        ),
    )
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity in the shed"), default=0)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    retired = models.BooleanField(_("no longer lent"), default=False)

    class Meta:
        ordering: ClassVar = ["shed", "name"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shed", "name"], name="green_tool_unique_name"),
            models.CheckConstraint(condition=Q(loan_days__gte=1), name="green_tool_loan_days"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="green_tool_quantity"),
        ]

    def __str__(self) -> str:
        return self.name


class LoanStatus(models.TextChoices):
    AWAITING_HANDOVER = "handover", _("waiting for the caretaker's handover")
    OUT = "out", _("lent")
    RETURNED = "returned", _("returned")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_LOAN = [LoanStatus.AWAITING_HANDOVER, LoanStatus.OUT]


class Loan(models.Model):
    """A loan of a tool. ``due_on`` is the last day of the loan (a calendar date in local
    time, so a loan period does not move with daylight saving); the loan is overdue from the
    next day."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="loans", verbose_name=_("tool")
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tool_loans",
        verbose_name=_("borrower"),
    )
    status = models.CharField(_("status"), max_length=20, choices=LoanStatus.choices)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    lent_at = models.DateTimeField(_("lent"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    taken_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken back by"),
    )
    reminded_at = models.DateTimeField(_("overdue reminder sent"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-requested_at"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tool"],
                condition=Q(status__in=["handover", "out"]),
                name="green_tool_lent_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="out") | Q(lent_at__isnull=False, due_on__isnull=False),
                name="green_loan_out_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} · {self.borrower}"


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("in the queue")
    READY = "ready", _("kept for you")
    COLLECTED = "collected", _("collected")
    EXPIRED = "expired", _("not collected in time")
    CANCELLED = "cancelled", _("left the queue")


ACTIVE_HOLD = [HoldStatus.WAITING, HoldStatus.READY]


class Hold(models.Model):
    """A place in a tool's queue (kø). ``position`` grows with each hold of the tool and is
    never reused; a member's place is their rank among the active holds. When the tool comes
    back the first is told and the tool is kept for them until ``ready_until``."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="holds", verbose_name=_("tool")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tool_holds",
        verbose_name=_("user"),
    )
    position = models.PositiveIntegerField(_("position in the queue"))
    status = models.CharField(
        _("status"), max_length=20, choices=HoldStatus.choices, default=HoldStatus.WAITING
    )
    created_at = models.DateTimeField(_("joined the queue"), default=timezone.now)
    ready_until = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["tool", "position"]
        verbose_name = _("place in a tool's queue")
        verbose_name_plural = _("places in tools' queues")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tool", "position"], name="green_hold_position"),
            models.UniqueConstraint(
                fields=["tool", "user"],
                condition=Q(status__in=["waiting", "ready"]),
                name="green_hold_once",
            ),
            models.UniqueConstraint(
                fields=["tool"], condition=Q(status="ready"), name="green_hold_one_ready"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(ready_until__isnull=False),
                name="green_hold_ready_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} #{self.position}"


class Withdrawal(models.Model):
    """Taken from a consumable (seeds): who took how much, when."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="withdrawals", verbose_name=_("consumable")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tool_withdrawals",
        verbose_name=_("user"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-taken_at"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="green_withdrawal_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.tool} · {self.quantity}"
