"""Plot seasons: opening, applications, the lottery, offers, renewal, giving back and the
waitlist carried from one season to the next.

Every service names its actor, checks it once (``permissions.require`` or the group's rules in
``rules``), runs in one transaction and writes an audit entry.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Membership, User
from lokalsamfund.core.permissions import Actor

from .. import allocation, rules
from ..models import (
    AllocationRule,
    ApplicationStatus,
    DeclineRule,
    GreenGroup,
    Plot,
    PlotApplication,
    Season,
)
from .groups import _locked, _require_manage


def season_open(
    *,
    actor: Actor,
    group: GreenGroup,
    year: int,
    deadline: date | None = None,
    renewal_deadline: date | None = None,
) -> Season:
    """Open the season ``year`` for applications (the lottery needs a deadline).

    From the season before it: with a ``renewal_deadline``, each holder of a plot who is still
    a member gets their plot offered again (``renewal``), to renew by that day; the waitlist is
    carried (under the waitlist rule in its order, at the top; under the lottery rule its
    applicants are in the new draw without applying again)."""
    _require_manage(actor, group)
    if group.allocation_rule == AllocationRule.LOTTERY and deadline is None:
        raise DomainError(_("A lottery needs an application deadline."))
    if renewal_deadline and deadline and renewal_deadline > deadline:
        raise DomainError(_("The renewal deadline must come before the application deadline."))
    try:
        with transaction.atomic():
            group = _locked(group)
            season = Season.objects.create(
                group=group, year=year, deadline=deadline, renewal_deadline=renewal_deadline
            )
            renewed, carried = _carry_from_previous(season)
            log_action(
                actor=actor,
                action="green.season_open",
                organisation=group.organisation,
                obj=season,
                data={"year": year, "renewals": renewed, "carried": carried},
            )
    except IntegrityError as exc:
        raise Conflict(_("The season %(year)s is already open.") % {"year": year}) from exc
    return season


def _carry_from_previous(season: Season) -> tuple[int, int]:
    """Renewal offers for last season's holders and the carried waitlist; (renewals, carried)."""
    group = season.group
    previous = group.seasons.filter(year__lt=season.year).order_by("-year").first()
    if previous is None:
        return 0, 0
    members = set(group.members.values_list("user_id", flat=True))
    ticket = 0
    renewed = 0
    lottery = group.allocation_rule == AllocationRule.LOTTERY
    if season.renewal_deadline is not None:
        for old in previous.applications.filter(status=ApplicationStatus.ALLOCATED).order_by(
            "ticket"
        ):
            if old.user_id not in members:
                continue
            ticket += 1
            renewed += 1
            PlotApplication.objects.create(
                season=season,
                user_id=old.user_id,
                ticket=ticket,
                household=old.household,
                resident=old.resident,
                own_garden=old.own_garden,
                new_member=False,
                status=ApplicationStatus.OFFERED,
                plot_id=old.plot_id,
                renewal=True,
            )
    waiting = previous.applications.filter(
        Q(status=ApplicationStatus.WAITING)
        | Q(status=ApplicationStatus.DECLINED, position__isnull=False)
    ).order_by("position", "ticket")
    carried = 0
    for old in waiting:
        if old.user_id not in members:
            continue
        ticket += 1
        carried += 1
        PlotApplication.objects.create(
            season=season,
            user_id=old.user_id,
            ticket=ticket,
            household=old.household,
            resident=old.resident,
            own_garden=old.own_garden,
            new_member=old.new_member,
            position=None if lottery else carried,
            created_at=old.created_at,
        )
    return renewed, carried


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
        _lapse_renewals(season, now=now)
        seed = secrets.randbits(48) if seed is None else seed
        applications, plots, holding = lottery_input(season)
        for a in applications.values():
            if a.household in holding:
                a.status, a.position = ApplicationStatus.SAME_HOUSEHOLD, None
                a.save(update_fields=["status", "position"])
        applications = {k: a for k, a in applications.items() if a.household not in holding}
        result = lottery_draw(season, applications, plots, seed)
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


def lottery_input(
    season: Season,
) -> tuple[dict[int, PlotApplication], list[Plot], set[str]]:
    """The applications in the draw (by ticket), the free plots, and the households that
    hold a plot already (renewed): their applications are set aside."""
    holding = set(
        season.applications.filter(
            status__in=[ApplicationStatus.OFFERED, ApplicationStatus.ALLOCATED]
        ).values_list("household", flat=True)
    )
    applications = {
        a.ticket: a for a in season.applications.filter(status=ApplicationStatus.WAITING)
    }
    return applications, free_plots(season), holding


def lottery_draw(
    season: Season, applications: dict[int, PlotApplication], plots: list[Plot], seed: int
) -> allocation.Allocation:
    """The draw itself (``allocation.allocate``), nothing saved: also the dry run's."""
    group = season.group
    return allocation.allocate(
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


def _lapse_renewals(season: Season, *, now: Any) -> int:
    """Free the plots of holders who did not renew by the deadline (inside a transaction).
    Refuses while the renewal deadline has not passed and renewals are pending."""
    pending = season.applications.filter(renewal=True, status=ApplicationStatus.OFFERED)
    if not pending.exists():
        return 0
    deadline = season.renewal_deadline
    if deadline is not None and timezone.localdate(now) <= deadline:
        raise DomainError(
            _("Holders may renew their plots until %(date)s; the plots are free after that.")
            % {"date": formats.date_format(deadline, "j. F Y")}
        )
    lapsed = 0
    for application in pending.select_for_update():
        application.status, application.plot, application.position = (
            ApplicationStatus.NOT_RENEWED,
            None,
            None,
        )
        application.save(update_fields=["status", "plot", "position"])
        lapsed += 1
    return lapsed


def renewals_close(*, actor: Actor, season: Season, now: Any = None) -> int:
    """After the renewal deadline: the plots of holders who did not renew become free."""
    group = season.group
    _require_manage(actor, group)
    now = now or timezone.now()
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        lapsed = _lapse_renewals(season, now=now)
        log_action(
            actor=actor,
            action="green.renewals_close",
            organisation=group.organisation,
            obj=season,
            data={"not_renewed": lapsed},
        )
    return lapsed


def free_plots(season: Season) -> list[Plot]:
    taken = PlotApplication.objects.filter(season=season, plot__isnull=False).values("plot_id")
    return list(season.group.plots.exclude(pk__in=taken))


def _offer(season: Season, plot: Plot | None = None) -> PlotApplication | None:
    """Offer ``plot`` (or the first free one) to the first on the waitlist whose household
    has no plot; None when no one waits (inside a transaction holding the season's lock)."""
    plots = [plot] if plot is not None else free_plots(season)
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
        return None
    application.status, application.plot = ApplicationStatus.OFFERED, plots[0]
    application.save(update_fields=["status", "plot"])
    return application


def _may_offer(season: Season) -> bool:
    return season.group.allocation_rule != AllocationRule.LOTTERY or season.drawn_at is not None


def offer_next(*, actor: Actor, season: Season) -> PlotApplication:
    """Offer the first free plot to the first on the waitlist whose household has no plot."""
    group = season.group
    _require_manage(actor, group)
    if not _may_offer(season):
        raise DomainError(_("Draw the lottery before offering plots from the waitlist."))
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        application = _offer(season)
        if application is None:
            raise Conflict(_("No one is waiting for a plot."))
        log_action(
            actor=actor,
            action="green.offer",
            organisation=group.organisation,
            obj=application,
            data={"plot": str(application.plot)},
        )
    return application


def _own(actor: Actor, application: PlotApplication) -> None:
    if not isinstance(actor, User) or application.user_id != actor.pk:
        raise Forbidden(_("This is not your application."))


def offer_accept(*, actor: Actor, application: PlotApplication, now: Any = None) -> PlotApplication:
    """Accept an offered plot; for last season's holder, renew it (by the renewal deadline,
    the whole of that day in Danish time)."""
    _own(actor, application)
    now = now or timezone.now()
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=application.season_id)
        application = PlotApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.OFFERED:
            raise Conflict(_("There is no offer to accept."))
        deadline = application.season.renewal_deadline
        if application.renewal and deadline and timezone.localdate(now) > deadline:
            raise DomainError(
                _("The deadline for renewing was %(date)s; the plot is no longer kept for you.")
                % {"date": formats.date_format(deadline, "j. F Y")}
            )
        application.status, application.position = ApplicationStatus.ALLOCATED, None
        application.save(update_fields=["status", "position"])
        log_action(
            actor=actor,
            action="green.renew" if application.renewal else "green.accept",
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
        if application.renewal and application.status == ApplicationStatus.OFFERED:
            application.status = ApplicationStatus.NOT_RENEWED
            application.position = None
        elif group.decline_rule == DeclineRule.BOTTOM:
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


def plot_give_back(
    *, actor: Actor, application: PlotApplication, reason: str = "", now: Any = None
) -> tuple[PlotApplication, PlotApplication | None]:
    """Give back a plot this season: by its holder, or taken back by the group's contact with
    a reason (e.g. not cultivated). The plot is offered at once to the next on the waitlist
    (after the lottery, under that rule); returns the application and the new offer, if any."""
    group = application.season.group
    own = isinstance(actor, User) and application.user_id == actor.pk
    if not own:
        _require_manage(actor, group)
        if not reason.strip():
            raise DomainError(_("Say why the plot is taken back (e.g. it is not cultivated)."))
    now = now or timezone.now()
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=application.season_id)
        application = PlotApplication.objects.select_for_update().get(pk=application.pk)
        if application.status not in (ApplicationStatus.OFFERED, ApplicationStatus.ALLOCATED):
            raise Conflict(_("There is no plot to give back."))
        plot = application.plot
        application.status = ApplicationStatus.GIVEN_BACK if own else ApplicationStatus.TAKEN_BACK
        application.plot, application.position = None, None
        application.reason = reason.strip()[:300]
        application.save(update_fields=["status", "plot", "position", "reason"])
        offer = _offer(season, plot) if _may_offer(season) else None
        log_action(
            actor=actor,
            action="green.give_back" if own else "green.take_back",
            organisation=group.organisation,
            obj=application,
            data={
                "plot": str(plot),
                "reason": application.reason,
                "offered_to": offer.ticket if offer else None,
                "at": now.isoformat(),
            },
        )
    return application, offer
