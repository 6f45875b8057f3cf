"""``lokalsamfund green allocate --group SLUG --season YYYY [--seed N] [--dry-run]``: allocate
a season's plots by the group's rule and print the allocation and the waitlist.

Under the lottery rule it draws the lottery (after the application deadline; once); under the
waitlist rule it offers every free plot to the next on the waitlist. Applicants are shown by
their ticket number (as in the published draw), never by name. ``--dry-run`` prints what
would happen and changes nothing."""

from __future__ import annotations

import argparse
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import selectors, services
from lokalsamfund.green.models import AllocationRule, ApplicationStatus, GreenGroup, Season

HELP = "Allocate a season's plots (lottery or waitlist) and print the allocation and waitlist."


class _DryRun(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--group", required=True, help="The group's short name (slug).")
    parser.add_argument("--season", required=True, type=int, help="The season's year.")
    parser.add_argument(
        "--organisation", help="The organisation's short name, when several have the group."
    )
    parser.add_argument("--seed", type=int, help="The lottery's seed (random if not given).")
    parser.add_argument("--dry-run", action="store_true", help="Print the result; change nothing.")


def _group(slug: str, organisation_slug: str | None) -> GreenGroup:
    organisation_id = None
    if organisation_slug:
        organisation = Organisation.objects.filter(slug=organisation_slug).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {organisation_slug!r}.")
        organisation_id = organisation.pk
    groups = selectors.group_by_slug(organisation_id, slug)
    if not groups:
        raise CommandError(f"No green group with the short name {slug!r}.")
    if len(groups) > 1:
        names = ", ".join(sorted(g.organisation.slug for g in groups))
        raise CommandError(
            f"Several organisations have a group {slug!r} ({names}): --organisation."
        )
    return groups[0]


def _print(command: BaseCommand, season: Season, header: str) -> None:
    command.stdout.write(header)
    rows = season.applications.select_related("plot").order_by("plot__label", "ticket")
    command.stdout.write("Allocation (plot: ticket):")
    held = [a for a in rows if a.plot_id is not None]
    for a in sorted(held, key=lambda a: (a.plot.label if a.plot else "", a.ticket)):
        kind = "offered" if a.status == ApplicationStatus.OFFERED else "allocated"
        renewal = ", renewal" if a.renewal else ""
        command.stdout.write(f"  {a.plot}: {a.ticket} ({kind}{renewal})")
    if not held:
        command.stdout.write("  (none)")
    waiting = season.applications.filter(status=ApplicationStatus.WAITING).order_by(
        "position", "ticket"
    )
    command.stdout.write("Waitlist (place: ticket):")
    for place, a in enumerate(waiting, start=1):
        command.stdout.write(f"  {place}: {a.ticket}")
    if not waiting:
        command.stdout.write("  (empty)")
    aside = season.applications.filter(status=ApplicationStatus.SAME_HOUSEHOLD)
    if aside:
        tickets = ", ".join(str(a.ticket) for a in aside)
        command.stdout.write(f"Set aside, the household has a plot: {tickets}")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    group = _group(options["group"], options.get("organisation"))
    season = group.seasons.filter(year=options["season"]).first()
    if season is None:
        raise CommandError(f"{group.slug} has no season {options['season']}.")
    dry_run = bool(options.get("dry_run"))
    seed = options.get("seed")
    lottery = group.allocation_rule == AllocationRule.LOTTERY
    if lottery and seed is None:
        seed = secrets.randbits(48)
    now = timezone.now()
    note = " (dry run: nothing changed)" if dry_run else ""
    try:
        with transaction.atomic():
            if lottery:
                result = services.lottery_run(actor=SYSTEM, season=season, seed=seed, now=now)
                header = (
                    f"{group.slug} {season.year}: lottery drawn with seed {result.seed}{note}\n"
                    f"Draw (tickets): {', '.join(str(t) for t in result.draw) or '(none)'}"
                )
            else:
                offered = 0
                while services.free_plots(season):
                    try:
                        services.offer_next(actor=SYSTEM, season=season)
                    except DomainError:
                        break
                    offered += 1
                header = (
                    f"{group.slug} {season.year}: {offered} plot(s) offered by the waitlist{note}"
                )
            season.refresh_from_db()
            _print(command, season, header)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return
    except DomainError as exc:
        raise CommandError(exc.message) from exc
