"""Green groups' services: groups, members, plots, seasons, applications and the allocation.

Every service names its actor, checks it once (``permissions.require`` or the group's rules in
``rules``), runs in one transaction and writes an audit entry.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.activities.models import Activity
from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Department, Membership, Organisation, User
from lokalsamfund.core.permissions import SYSTEM, Actor, Perm

from . import allocation, rules
from .models import (
    AllocationRule,
    ApplicationStatus,
    DeclineRule,
    GreenGroup,
    GroupMember,
    Plot,
    PlotApplication,
    Season,
)


def _require_manage(actor: Actor, group: GreenGroup) -> None:
    if actor is SYSTEM:
        return
    if not isinstance(actor, User) or not rules.may_manage(actor, group):
        raise Forbidden(_("You may not run the green group %(group)s.") % {"group": group})


def _locked(group: GreenGroup) -> GreenGroup:
    return GreenGroup.objects.select_for_update().get(pk=group.pk)


def group_create(
    *,
    actor: Actor,
    organisation: Organisation,
    departments: list[Department],
    name: str,
    kind: str,
    open_to_neighbours: bool = False,
    plan: str = "",
    caretaker_contact: User | None = None,
    resident_contacts: list[User] | None = None,
    allocation_rule: str = AllocationRule.WAITLIST,
    decline_rule: str = DeclineRule.BOTTOM,
    residents_first: bool = True,
    no_garden_first: bool = True,
    reserved_percent: int = 0,
) -> GreenGroup:
    """Create a green group of ``departments`` (``green.manage`` on each of them)."""
    if not departments:
        raise DomainError(_("A green group belongs to at least one department."))
    for department in departments:
        if department.organisation_id != organisation.pk:
            raise DomainError(_("The departments must belong to the organisation."))
        permissions.require(actor, Perm.MANAGE_GREEN, department)
    if not 0 <= reserved_percent <= 100:
        raise DomainError(_("The reserved share must be between 0 and 100 per cent."))
    with transaction.atomic():
        group = GreenGroup.objects.create(
            organisation=organisation,
            name=name,
            kind=kind,
            open_to_neighbours=open_to_neighbours,
            plan=plan,
            caretaker_contact=caretaker_contact,
            allocation_rule=allocation_rule,
            decline_rule=decline_rule,
            residents_first=residents_first,
            no_garden_first=no_garden_first,
            reserved_percent=reserved_percent,
        )
        group.departments.set(departments)
        group.resident_contacts.set(resident_contacts or [])
        log_action(
            actor=actor,
            action="green.group_create",
            organisation=organisation,
            obj=group,
            data={"kind": kind, "departments": [d.code for d in departments]},
        )
    return group


def plot_create(
    *, actor: Actor, group: GreenGroup, label: str, size_m2: Decimal, location: str = ""
) -> Plot:
    _require_manage(actor, group)
    try:
        with transaction.atomic():
            plot = Plot.objects.create(group=group, label=label, size_m2=size_m2, location=location)
            log_action(
                actor=actor,
                action="green.plot_create",
                organisation=group.organisation,
                obj=plot,
                data={"group": group.pk},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The group already has a plot called %(label)s.") % {"label": label}
        ) from exc
    return plot


def activity_link(*, actor: Actor, group: GreenGroup, activity: Activity) -> None:
    """Show ``activity`` (of the same organisation) on the group's page."""
    _require_manage(actor, group)
    if activity.organisation_id != group.organisation_id:
        raise DomainError(_("The activity belongs to another organisation."))
    with transaction.atomic():
        group.activities.add(activity)
        log_action(
            actor=actor,
            action="green.link_activity",
            organisation=group.organisation,
            obj=group,
            data={"activity": activity.pk},
        )


def member_join(*, actor: Actor, group: GreenGroup) -> GroupMember:
    """``actor`` joins the group (who may: ``rules.may_join``)."""
    if not isinstance(actor, User) or not rules.may_join(actor, group):
        raise Forbidden(_("You may not join the green group %(group)s.") % {"group": group})
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(group=group, user=actor)
        if created:
            log_action(actor=actor, action="green.join", organisation=group.organisation, obj=group)
    return member


def member_leave(*, actor: Actor, group: GreenGroup) -> None:
    """``actor`` leaves the group; a plot they hold this season is kept until given back."""
    if not isinstance(actor, User):
        raise Forbidden(_("You may not leave for someone else."))
    with transaction.atomic():
        deleted, _rows = GroupMember.objects.filter(group=group, user=actor).delete()
        if not deleted:
            raise DomainError(_("You are not a member of %(group)s.") % {"group": group})
        log_action(actor=actor, action="green.leave", organisation=group.organisation, obj=group)


def season_open(
    *, actor: Actor, group: GreenGroup, year: int, deadline: date | None = None
) -> Season:
    """Open the season ``year`` for applications (the lottery needs a deadline)."""
    _require_manage(actor, group)
    if group.allocation_rule == AllocationRule.LOTTERY and deadline is None:
        raise DomainError(_("A lottery needs an application deadline."))
    try:
        with transaction.atomic():
            season = Season.objects.create(group=group, year=year, deadline=deadline)
            log_action(
                actor=actor,
                action="green.season_open",
                organisation=group.organisation,
                obj=season,
                data={"year": year},
            )
    except IntegrityError as exc:
        raise Conflict(_("The season %(year)s is already open.") % {"year": year}) from exc
    return season


def household_of(user: User, group: GreenGroup) -> str:
    """The household (home) of ``user`` in the group's organisation; the person alone if no
    home is recorded."""
    homes = sorted(
        m.home_key
        for m in Membership.objects.filter(user=user, organisation_id=group.organisation_id)
        if m.home_key
    )
    return homes[0] if homes else f"user:{user.pk}"


def _is_new_member(user: User, group: GreenGroup, year: int) -> bool:
    """New: never had a plot of the group in an earlier season."""
    return not PlotApplication.objects.filter(
        season__group=group,
        season__year__lt=year,
        user=user,
        status=ApplicationStatus.ALLOCATED,
    ).exists()


def apply(*, actor: Actor, season: Season, own_garden: bool, now: Any = None) -> PlotApplication:
    """``actor`` (a member of the group) applies for a plot in ``season``. Under the lottery
    rule only until the deadline; under the waitlist rule they join its bottom."""
    group = season.group
    if not isinstance(actor, User) or not rules.is_member(actor, group):
        raise Forbidden(_("Join the group before you apply for a plot."))
    now = now or timezone.now()
    lottery = group.allocation_rule == AllocationRule.LOTTERY
    if lottery and (
        season.drawn_at is not None
        or (season.deadline and timezone.localdate(now) > season.deadline)
    ):
        raise DomainError(_("The deadline for applications has passed."))
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        if lottery and season.drawn_at is not None:
            # Drawn while this application waited for the season's lock: it would be in no
            # draw and on no waitlist.
            raise DomainError(_("The deadline for applications has passed."))
        if PlotApplication.objects.filter(season=season, user=actor).exists():
            raise Conflict(_("You have already applied for this season."))
        last = PlotApplication.objects.filter(season=season).aggregate(
            ticket=Max("ticket"), position=Max("position")
        )
        application = PlotApplication.objects.create(
            season=season,
            user=actor,
            ticket=(last["ticket"] or 0) + 1,
            household=household_of(actor, group),
            resident=rules.is_resident(actor, group),
            own_garden=own_garden,
            new_member=_is_new_member(actor, group, season.year),
            position=None if lottery else (last["position"] or 0) + 1,
            created_at=now,
        )
        log_action(
            actor=actor,
            action="green.apply",
            organisation=group.organisation,
            obj=application,
            data={"season": season.year},
        )
    return application


def priority_of(application: PlotApplication, group: GreenGroup) -> int:
    return allocation.priority_class(
        resident=application.resident,
        own_garden=application.own_garden,
        residents_first=group.residents_first,
        no_garden_first=group.no_garden_first,
    )


def lottery_run(
    *, actor: Actor, season: Season, seed: int | None = None, now: Any = None
) -> allocation.Allocation:
    """Draw the season's plots among its applicants (after the deadline, once). The seed and
    the draw are stored and shown to the members; the rest form the waitlist in order."""
    group = season.group
    _require_manage(actor, group)
    now = now or timezone.now()
    if group.allocation_rule != AllocationRule.LOTTERY:
        raise DomainError(_("This group allocates its plots by the waitlist, not by lottery."))
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        if season.drawn_at is not None:
            raise Conflict(_("The lottery has already been drawn."))
        if season.deadline and timezone.localdate(now) <= season.deadline:
            raise DomainError(_("The lottery can be drawn after the application deadline."))
        seed = secrets.randbits(48) if seed is None else seed
        applications = {a.ticket: a for a in season.applications.all()}
        plots = list(group.plots.all())
        result = allocation.allocate(
            [
                allocation.Applicant(
                    key=a.ticket,
                    household=a.household,
                    priority=priority_of(a, group),
                    new_member=a.new_member,
                )
                for a in applications.values()
            ],
            plots=len(plots),
            seed=seed,
            reserved_percent=group.reserved_percent,
        )
        for ticket, index in result.winners.items():
            a = applications[ticket]
            a.status, a.plot, a.position = ApplicationStatus.ALLOCATED, plots[index], None
            a.save(update_fields=["status", "plot", "position"])
        for place, ticket in enumerate(result.waitlist, start=1):
            a = applications[ticket]
            a.status, a.position = ApplicationStatus.WAITING, place
            a.save(update_fields=["status", "position"])
        for ticket in result.same_household:
            a = applications[ticket]
            a.status, a.position = ApplicationStatus.SAME_HOUSEHOLD, None
            a.save(update_fields=["status", "position"])
        season.seed, season.draw, season.drawn_at = seed, result.draw, now
        season.save(update_fields=["seed", "draw", "drawn_at"])
        log_action(
            actor=actor,
            action="green.lottery",
            organisation=group.organisation,
            obj=season,
            data={"seed": seed, "plots": len(plots), "allocated": len(result.winners)},
        )
    return result


def free_plots(season: Season) -> list[Plot]:
    taken = PlotApplication.objects.filter(season=season, plot__isnull=False).values("plot_id")
    return list(season.group.plots.exclude(pk__in=taken))


def offer_next(*, actor: Actor, season: Season) -> PlotApplication:
    """Offer the first free plot to the first on the waitlist whose household has no plot."""
    group = season.group
    _require_manage(actor, group)
    if group.allocation_rule == AllocationRule.LOTTERY and season.drawn_at is None:
        raise DomainError(_("Draw the lottery before offering plots from the waitlist."))
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        plots = free_plots(season)
        if not plots:
            raise Conflict(_("There is no free plot to offer."))
        holding = set(
            PlotApplication.objects.filter(
                season=season, status__in=[ApplicationStatus.OFFERED, ApplicationStatus.ALLOCATED]
            ).values_list("household", flat=True)
        )
        candidates = season.applications.filter(status=ApplicationStatus.WAITING).order_by(
            "position", "ticket"
        )
        application = next((a for a in candidates if a.household not in holding), None)
        if application is None:
            raise Conflict(_("No one is waiting for a plot."))
        application.status, application.plot = ApplicationStatus.OFFERED, plots[0]
        application.save(update_fields=["status", "plot"])
        log_action(
            actor=actor,
            action="green.offer",
            organisation=group.organisation,
            obj=application,
            data={"plot": plots[0].label},
        )
    return application


def _own(actor: Actor, application: PlotApplication) -> None:
    if not isinstance(actor, User) or application.user_id != actor.pk:
        raise Forbidden(_("This is not your application."))


def offer_accept(*, actor: Actor, application: PlotApplication) -> PlotApplication:
    _own(actor, application)
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=application.season_id)
        application = PlotApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.OFFERED:
            raise Conflict(_("There is no offer to accept."))
        application.status, application.position = ApplicationStatus.ALLOCATED, None
        application.save(update_fields=["status", "position"])
        log_action(
            actor=actor,
            action="green.accept",
            organisation=application.season.group.organisation,
            obj=application,
        )
    return application


def offer_decline(*, actor: Actor, application: PlotApplication) -> PlotApplication:
    """Decline an offered or allocated plot: the plot becomes free; by the group's rule the
    applicant goes to the bottom of the waitlist or keeps their place (and is not offered
    another plot this season)."""
    _own(actor, application)
    with transaction.atomic():
        # The season's lock first, as apply and offer_next take it: the bottom of the waitlist
        # is read and written by one of them at a time.
        Season.objects.select_for_update().get(pk=application.season_id)
        application = PlotApplication.objects.select_for_update().get(pk=application.pk)
        if application.status not in (ApplicationStatus.OFFERED, ApplicationStatus.ALLOCATED):
            raise Conflict(_("There is no plot to decline."))
        group = application.season.group
        if group.decline_rule == DeclineRule.BOTTOM:
            last = PlotApplication.objects.filter(season=application.season).aggregate(
                position=Max("position")
            )
            application.status = ApplicationStatus.WAITING
            application.position = (last["position"] or 0) + 1
        else:
            application.status = ApplicationStatus.DECLINED
        application.plot = None
        application.save(update_fields=["status", "position", "plot"])
        log_action(
            actor=actor,
            action="green.decline",
            organisation=group.organisation,
            obj=application,
            data={"rule": group.decline_rule},
        )
    return application
