"""Services of work days (arbejdsdage): tasks and their sign-ups, the fallback of unclaimed
tasks to the group's contact, the rota (vagtplan) with swaps, and members' hours.

Every service names its actor, checks it once (the group's rules in ``rules``), runs in one
transaction and writes an audit entry. Sign-ups lock the task's row (PostgreSQL) or run in an
IMMEDIATE transaction (SQLite), and the database refuses more sign-ups than hands
(``green_task_never_more_than_hands``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.activities.models import Occurrence
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Actor

from . import rules
from .models import (
    GreenGroup,
    GroupWorkSettings,
    Material,
    MemberHours,
    Rota,
    RotaTurn,
    TaskSignUp,
    WorkDay,
    WorkTask,
)

DEFAULT_FALLBACK_HOURS = 48
MAX_LOGGED_HOURS = Decimal(24)


def _require_manage(actor: Actor, group: GreenGroup) -> None:
    if actor is SYSTEM:
        return
    if not isinstance(actor, User) or not rules.may_manage(actor, group):
        raise Forbidden(_("You may not run the green group %(group)s.") % {"group": group})


def _require_member(actor: Actor, group: GreenGroup) -> User:
    if not isinstance(actor, User) or not rules.is_member(actor, group):
        raise Forbidden(_("Only members of %(group)s may do this.") % {"group": group})
    return actor


def fallback_hours(group: GreenGroup) -> int:
    settings_row = GroupWorkSettings.objects.filter(group=group).first()
    return settings_row.fallback_hours if settings_row else DEFAULT_FALLBACK_HOURS


def fallback_at(work_day: WorkDay) -> datetime:
    """When an unclaimed task of ``work_day`` falls back to the group's contact."""
    return work_day.occurrence.starts_at - timedelta(hours=fallback_hours(work_day.group))


def fallback_contact(group: GreenGroup) -> User | None:
    """Whom unclaimed tasks fall back to: the caretaker contact, else the first resident
    contact (by name)."""
    if group.caretaker_contact is not None:
        return group.caretaker_contact
    return group.resident_contacts.order_by("full_name", "pk").first()


def fallback_hours_set(*, actor: Actor, group: GreenGroup, hours: int) -> GroupWorkSettings:
    """The group sets how many hours before a work day unclaimed tasks fall back."""
    _require_manage(actor, group)
    if not 1 <= hours <= 24 * 30:
        raise DomainError(
            _("Hours before the work day: '%(value)s' is not allowed (allowed: 1–720).")
            % {"value": hours},
            details={"field": "fallback_hours"},
        )
    with transaction.atomic():
        row, _created = GroupWorkSettings.objects.update_or_create(
            group=group, defaults={"fallback_hours": hours}
        )
        log_action(
            actor=actor,
            action="green.fallback_set",
            organisation=group.organisation,
            obj=group,
            data={"hours": hours},
        )
    return row


def work_day_create(*, actor: Actor, group: GreenGroup, occurrence: Occurrence) -> WorkDay:
    """Make ``occurrence`` (a date of an activity of the group's organisation) a work day of
    the group; the activity is shown on the group's page."""
    _require_manage(actor, group)
    if occurrence.activity.organisation_id != group.organisation_id:
        raise DomainError(_("The activity belongs to another organisation."))
    try:
        with transaction.atomic():
            work_day = WorkDay.objects.create(group=group, occurrence=occurrence)
            group.activities.add(occurrence.activity)
            log_action(
                actor=actor,
                action="green.work_day_create",
                organisation=group.organisation,
                obj=work_day,
                data={"occurrence": occurrence.pk},
            )
    except IntegrityError as exc:
        raise Conflict(_("This date is already a work day.")) from exc
    return work_day


def task_create(
    *,
    actor: Actor,
    work_day: WorkDay,
    title: str,
    hands: int = 1,
    tools: str = "",
    leader: User | None = None,
    materials: list[str] | None = None,
) -> WorkTask:
    _require_manage(actor, work_day.group)
    title = title.strip()
    if not title:
        raise DomainError(_("Task: give the task a name."), details={"field": "title"})
    if not 1 <= hands <= 200:
        raise DomainError(
            _("Hands: '%(value)s' is not allowed (allowed: 1–200).") % {"value": hands},
            details={"field": "hands"},
        )
    with transaction.atomic():
        task = WorkTask.objects.create(
            work_day=work_day, title=title, hands=hands, tools=tools, leader=leader
        )
        for name in materials or []:
            if name.strip():
                Material.objects.create(task=task, name=name.strip())
        log_action(
            actor=actor,
            action="green.task_create",
            organisation=work_day.group.organisation,
            obj=task,
            data={"work_day": work_day.pk, "hands": hands},
        )
    return task


def _locked_task(task: WorkTask) -> WorkTask:
    return (
        WorkTask.objects.select_for_update()
        .select_related("work_day__group__organisation", "work_day__occurrence")
        .get(pk=task.pk)
    )


def task_sign_up(*, actor: Actor, task: WorkTask, now: datetime | None = None) -> TaskSignUp:
    """A member signs up for a task: never more than its hands."""
    now = now or timezone.now()
    user = _require_member(actor, task.work_day.group)
    with transaction.atomic():
        task = _locked_task(task)
        if task.work_day.occurrence.starts_at <= now:
            raise DomainError(_("The work day has begun; sign-up is closed."))
        if TaskSignUp.objects.filter(task=task, user=user).exists():
            raise Conflict(_("You are already signed up for %(task)s.") % {"task": task.title})
        if task.signed_up_count >= task.hands:
            raise Conflict(
                _("%(task)s has all the hands it needs (%(hands)s).")
                % {"task": task.title, "hands": task.hands}
            )
        signup = TaskSignUp.objects.create(task=task, user=user, created_at=now)
        WorkTask.objects.filter(pk=task.pk).update(signed_up_count=F("signed_up_count") + 1)
        log_action(
            actor=actor,
            action="green.task_sign_up",
            organisation=task.work_day.group.organisation,
            obj=task,
        )
    return signup


def task_leave(*, actor: Actor, task: WorkTask, now: datetime | None = None) -> None:
    """A member leaves a task they signed up for (until the work day begins)."""
    now = now or timezone.now()
    if not isinstance(actor, User):
        raise Forbidden(_("Only members of %(group)s may do this.") % {"group": task.work_day})
    with transaction.atomic():
        task = _locked_task(task)
        if task.work_day.occurrence.starts_at <= now:
            raise DomainError(_("The work day has begun; the list can no longer be changed."))
        deleted, _rows = TaskSignUp.objects.filter(task=task, user=actor).delete()
        if not deleted:
            raise DomainError(_("You are not signed up for %(task)s.") % {"task": task.title})
        WorkTask.objects.filter(pk=task.pk).update(signed_up_count=F("signed_up_count") - 1)
        log_action(
            actor=actor,
            action="green.task_leave",
            organisation=task.work_day.group.organisation,
            obj=task,
        )


def _fallback_mail(task: WorkTask, contact: User) -> None:
    missing = task.hands - task.signed_up_count
    subject = _("A task of the work day falls to you: %(task)s") % {"task": task.title}
    body = _(
        "%(task)s on %(date)s (%(group)s) still needs %(missing)s of %(hands)s hands. "
        "It falls back to you as the group's contact."
    ) % {
        "task": task.title,
        "date": timezone.localtime(task.work_day.occurrence.starts_at).strftime("%d.%m.%Y %H:%M"),
        "group": task.work_day.group.name,
        "missing": missing,
        "hands": task.hands,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email], fail_silently=True
        )
    )


def tasks_fall_back(*, now: datetime | None = None) -> int:
    """Hand every unclaimed task whose fallback time has come (the group's hours before its
    work day, which has not begun) to the group's contact and tell them by e-mail, once.
    Idempotent (``fallen_back_at``); safe to run from cron as often as one likes."""
    now = now or timezone.now()
    candidates = WorkTask.objects.filter(
        fallen_back_at__isnull=True,
        signed_up_count__lt=F("hands"),
        work_day__occurrence__starts_at__gt=now,
    ).select_related("work_day__occurrence", "work_day__group")
    count = 0
    for candidate in candidates:
        if fallback_at(candidate.work_day) > now:
            continue
        with transaction.atomic():
            task = _locked_task(candidate)
            if task.fallen_back_at is not None or task.signed_up_count >= task.hands:
                continue
            group = task.work_day.group
            contact = fallback_contact(group)
            task.fallen_back_to = contact
            task.fallen_back_at = now
            task.save(update_fields=["fallen_back_to", "fallen_back_at"])
            log_action(
                actor=SYSTEM,
                action="green.task_fall_back",
                organisation=group.organisation,
                obj=task,
                data={"missing": task.hands - task.signed_up_count},
            )
            if contact is not None and contact.email:
                _fallback_mail(task, contact)
            count += 1
    return count


def material_tick(
    *, actor: Actor, material: Material, ordered: bool = True, now: datetime | None = None
) -> Material:
    """Tick (or untick) a material as ordered: the task's leader or who runs the group."""
    task = material.task
    if not (isinstance(actor, User) and task.leader_id == actor.pk):
        _require_manage(actor, task.work_day.group)
    with transaction.atomic():
        material.ordered_at = (now or timezone.now()) if ordered else None
        material.save(update_fields=["ordered_at"])
        log_action(
            actor=actor,
            action="green.material_tick",
            organisation=task.work_day.group.organisation,
            obj=material,
            data={"ordered": ordered},
        )
    return material


# The rota (vagtplan) and swaps


MAX_ROTA_WEEKS = 53


def rota_create(
    *,
    actor: Actor,
    group: GreenGroup,
    title: str,
    first_week: date | None = None,
    last_week: date | None = None,
    members: list[User] | None = None,
) -> Rota:
    """A rota of the group. With ``first_week`` and ``last_week`` (moved back to their
    Mondays) and ``members``, the weeks from-to are given to the members in turn (the first
    member the first week, and so on round)."""
    _require_manage(actor, group)
    title = title.strip()
    if not title:
        raise DomainError(_("Title: give the rota a name."), details={"field": "title"})
    weeks: list[date] = []
    if first_week is not None and last_week is not None:
        first = first_week - timedelta(days=first_week.weekday())
        last = last_week - timedelta(days=last_week.weekday())
        if last < first:
            raise DomainError(
                _("To week: the last week comes before the first."),
                details={"field": "last_week"},
            )
        weeks = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
        if len(weeks) > MAX_ROTA_WEEKS:
            raise DomainError(
                _("To week: a rota spans at most %(weeks)s weeks.") % {"weeks": MAX_ROTA_WEEKS},
                details={"field": "last_week"},
            )
    for user in members or []:
        if not rules.is_member(user, group):
            raise DomainError(
                _("Members: %(name)s is not a member of the group.")
                % {"name": user.full_name or user.email},
                details={"field": "members"},
            )
    with transaction.atomic():
        rota = Rota.objects.create(group=group, title=title)
        if members:
            for n, week in enumerate(weeks):
                RotaTurn.objects.create(rota=rota, week=week, user=members[n % len(members)])
        log_action(
            actor=actor,
            action="green.rota_create",
            organisation=group.organisation,
            obj=rota,
            data={"weeks": len(weeks) if members else 0},
        )
    return rota


def turn_assign(*, actor: Actor, rota: Rota, week: date, user: User) -> RotaTurn:
    """Give ``user`` (a member) the week starting ``week`` (moved back to its Monday)."""
    _require_manage(actor, rota.group)
    if not rules.is_member(user, rota.group):
        raise DomainError(_("Only members of the group can have a turn."))
    monday = week - timedelta(days=week.weekday())
    try:
        with transaction.atomic():
            turn = RotaTurn.objects.create(rota=rota, week=monday, user=user)
            log_action(
                actor=actor,
                action="green.turn_assign",
                organisation=rota.group.organisation,
                obj=turn,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The week of %(week)s already has a turn.") % {"week": monday.isoformat()}
        ) from exc
    return turn


def turn_offer(*, actor: Actor, turn: RotaTurn, now: datetime | None = None) -> RotaTurn:
    """Whose turn it is offers it to the other members."""
    if not isinstance(actor, User) or turn.user_id != actor.pk:
        raise Forbidden(_("Only whose turn it is may offer it."))
    with transaction.atomic():
        turn.offered_at = now or timezone.now()
        turn.save(update_fields=["offered_at"])
        log_action(
            actor=actor,
            action="green.turn_offer",
            organisation=turn.rota.group.organisation,
            obj=turn,
        )
    return turn


def turn_take(*, actor: Actor, turn: RotaTurn) -> RotaTurn:
    """Another member takes an offered turn; the turn shows whom it was taken over from."""
    user = _require_member(actor, turn.rota.group)
    with transaction.atomic():
        turn = RotaTurn.objects.select_for_update().select_related("rota__group").get(pk=turn.pk)
        if turn.offered_at is None:
            raise Conflict(_("This turn is not offered (or someone has taken it)."))
        if turn.user_id == user.pk:
            raise DomainError(_("This is already your turn."))
        turn.swapped_from_id = turn.user_id
        turn.user = user
        turn.offered_at = None
        turn.save(update_fields=["swapped_from", "user", "offered_at"])
        log_action(
            actor=actor,
            action="green.turn_take",
            organisation=turn.rota.group.organisation,
            obj=turn,
        )
    return turn


# Members' hours (unplanned work), confirmed by a contact


def member_hours_log(
    *,
    actor: Actor,
    group: GreenGroup,
    day: date,
    hours: Decimal,
    what: str,
    today: date | None = None,
) -> MemberHours:
    user = _require_member(actor, group)
    today = today or timezone.localdate()
    hours = Decimal(hours).quantize(Decimal("0.1"))
    _check_hours(day=day, hours=hours, what=what, today=today)
    with transaction.atomic():
        row = MemberHours.objects.create(
            group=group, user=user, day=day, hours=hours, what=what.strip()
        )
        log_action(
            actor=actor,
            action="green.member_hours_log",
            organisation=group.organisation,
            obj=row,
            data={"hours": str(hours)},
        )
    return row


def member_hours_confirm(
    *, actor: Actor, hours: MemberHours, now: datetime | None = None
) -> MemberHours:
    """A contact of the group confirms a member's hours (not their own)."""
    group = hours.group
    if not isinstance(actor, User) or not rules.is_contact(actor, group):
        raise Forbidden(_("Only the contacts of %(group)s confirm hours.") % {"group": group})
    if hours.user_id == actor.pk:
        raise Forbidden(_("Another contact confirms your own hours."))
    with transaction.atomic():
        row = MemberHours.objects.select_for_update().get(pk=hours.pk)
        if row.confirmed_at is not None:
            raise Conflict(_("These hours are already confirmed."))
        row.confirmed_by = actor
        row.confirmed_at = now or timezone.now()
        row.save(update_fields=["confirmed_by", "confirmed_at"])
        log_action(
            actor=actor,
            action="green.member_hours_confirm",
            organisation=group.organisation,
            obj=row,
        )
    return row


def _check_hours(*, day: date, hours: Decimal, what: str, today: date) -> None:
    if day > today:
        raise DomainError(
            _("Date: %(day)s is in the future.") % {"day": day.isoformat()},
            details={"field": "day"},
        )
    if day < today - timedelta(days=31):
        raise DomainError(
            _("Date: %(day)s is more than a month ago.") % {"day": day.isoformat()},
            details={"field": "day"},
        )
    if not Decimal(0) < hours <= MAX_LOGGED_HOURS:
        raise DomainError(
            _("Hours: '%(value)s' is not allowed (allowed: more than 0, at most 24).")
            % {"value": hours},
            details={"field": "hours"},
        )
    if not what.strip():
        raise DomainError(_("What: say what the work was."), details={"field": "what"})
