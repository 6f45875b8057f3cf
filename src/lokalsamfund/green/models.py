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


# Seasons and results (season plans, news, the log and its photos, the site plan).


class SitePlan(models.Model):
    """A simple site plan image of a group's plots (re-encoded, without metadata; kept in the
    database and served by a permission-checked view, never under a public address)."""

    group = models.OneToOneField(
        GreenGroup, on_delete=models.CASCADE, related_name="site_plan", verbose_name=_("group")
    )
    image = models.BinaryField(_("image"), editable=False)
    content_type = models.CharField(_("content type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("site plan")
        verbose_name_plural = _("site plans")

    def __str__(self) -> str:
        return f"{self.group}"


class SeasonPlan(models.Model):
    """A group's plan for a year: what is sown, built and done when (milestones one a line)."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="season_plans", verbose_name=_("group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("plan"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["group", "-year"]
        verbose_name = _("season plan")
        verbose_name_plural = _("season plans")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["group", "year"], name="green_season_plan_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}"


class GroupNews(models.Model):
    """News on the group's page; sent as an e-mail to all members when ``emailed``."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="news", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    emailed = models.BooleanField(_("sent to all members"), default=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("news")
        verbose_name_plural = _("news")

    def __str__(self) -> str:
        return self.subject


class LogEntry(models.Model):
    """The group's harvest or activity log (høst- og aktivitetslog): what was done or harvested
    on a day, with optional photos."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    day = models.DateField(_("day"))
    text = models.TextField(_("what happened"))
    harvest_kg = models.DecimalField(
        _("harvest (kg)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "-pk"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(harvest_kg__isnull=True) | Q(harvest_kg__gte=0),
                name="green_log_harvest_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.day}"


class LogPhoto(models.Model):
    """A photo of a log entry: re-encoded without metadata, kept in the database, served only
    to those who may see the group."""

    entry = models.ForeignKey(
        LogEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("log entry")
    )
    image = models.BinaryField(_("image"), editable=False)
    content_type = models.CharField(_("content type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        ordering: ClassVar = ["entry", "pk"]
        verbose_name = _("log photo")
        verbose_name_plural = _("log photos")

    def __str__(self) -> str:
        return f"{self.entry} #{self.pk}"


# --- The tool shed (redskabsskuret) -------------------------------------------------------------


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
