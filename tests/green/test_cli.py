"""``lokalsamfund green allocate``: the dry run changes nothing, the same seed gives the same
output, and the real run stores what the dry run printed."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import ApplicationStatus, GreenGroup, PlotApplication, Season

pytestmark = pytest.mark.scenario_moment

AFTER = datetime(2026, 6, 21, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture
def applied(
    lottery_group: GreenGroup,
    lottery_season: Season,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
) -> Season:
    for _ in range(6):
        user = make_user(Role.RESIDENT, org, [dept_a])
        services.member_join(actor=user, group=lottery_group)
        services.apply(actor=user, season=lottery_season, own_garden=False)
    return lottery_season


def _run(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(AFTER, tick=False):
        call_command("green", "allocate", *args, stdout=out)
    return out.getvalue()


def _state(season: Season) -> list[tuple[int, str, int | None, int | None]]:
    return list(
        PlotApplication.objects.filter(season=season)
        .order_by("ticket")
        .values_list("ticket", "status", "position", "plot_id")
    )


def test_dry_run_changes_nothing_and_same_seed_same_output(
    applied: Season, lottery_group: GreenGroup
) -> None:
    before = _state(applied)
    audit = AuditEntry.objects.count()
    args = ("--group", lottery_group.slug, "--season", "2026", "--seed", "42", "--dry-run")
    first = _run(*args)
    second = _run(*args)
    assert first == second
    assert "seed 42 (dry run: nothing changed)" in first
    assert _state(applied) == before
    assert AuditEntry.objects.count() == audit
    applied.refresh_from_db()
    assert applied.drawn_at is None
    other = _run("--group", lottery_group.slug, "--season", "2026", "--seed", "43", "--dry-run")
    assert other != first  # another seed, another draw (for these six tickets and seeds)
    real = _run("--group", lottery_group.slug, "--season", "2026", "--seed", "42")
    assert real == first.replace(" (dry run: nothing changed)", "")
    applied.refresh_from_db()
    assert applied.seed == 42
    assert applied.applications.filter(status=ApplicationStatus.ALLOCATED).count() == 3
    lines = real.splitlines()
    assert lines[lines.index("Waitlist (place: ticket):") + 3].startswith("  3: ")
    with pytest.raises(CommandError, match="allerede trukket lod"):
        _run("--group", lottery_group.slug, "--season", "2026", "--seed", "42")


def test_waitlist_rule_offers_the_free_plots(
    group: GreenGroup, make_user: Callable[..., User], org: Organisation, dept_a: Department
) -> None:
    season = services.season_open(actor=SYSTEM, group=group, year=2026)
    for _ in range(4):
        user = make_user(Role.RESIDENT, org, [dept_a])
        services.member_join(actor=user, group=group)
        services.apply(actor=user, season=season, own_garden=False)
    out = _run("--group", group.slug, "--season", "2026")
    assert "3 plot(s) offered by the waitlist" in out
    assert "  1: 4" in out
    assert season.applications.filter(status=ApplicationStatus.OFFERED).count() == 3


def test_unknown_group_or_season(group: GreenGroup) -> None:
    with pytest.raises(CommandError, match="No green group"):
        _run("--group", "nope", "--season", "2026")
    with pytest.raises(CommandError, match="no season 2031"):
        _run("--group", group.slug, "--season", "2031")


def test_deadline_not_passed(lottery_group: GreenGroup) -> None:
    services.season_open(actor=SYSTEM, group=lottery_group, year=2027, deadline=date(2027, 1, 1))
    with pytest.raises(CommandError, match="ansøgningsfristen"):
        _run("--group", lottery_group.slug, "--season", "2027", "--seed", "1")
