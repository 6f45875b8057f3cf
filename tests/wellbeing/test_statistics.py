"""Referral statistics: never a count below k, complementary suppression in every partition,
completed quarters only, the same after retention, and only for VIEW_REFERRAL_STATISTICS."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing.models import Observation, Outcome, ReferralStatus, ReferralTally
from lokalsamfund.wellbeing.selectors_statistics import (
    ReferralStatistics,
    referral_statistics,
)
from lokalsamfund.wellbeing.services.retention import retention_run
from tests.wellbeing.factories_rights import make_referral, rights_keys  # noqa: F401

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("rights_keys"),
    pytest.mark.scenario_moment,
]

CPH = ZoneInfo("Europe/Copenhagen")
Q1_2026 = datetime(2026, 2, 10, 12, tzinfo=CPH)
URL = "/henvendelser/statistik/test-org/"


def _referrals(department: Department, n: int, *, closed: int = 0, at: datetime = Q1_2026) -> None:
    for i in range(n):
        if i < closed:
            make_referral(
                department=department,
                created_at=at,
                status=ReferralStatus.CLOSED,
                outcome="no_action",
                closed_at=at + timedelta(days=2),
            )
        else:
            make_referral(department=department, created_at=at)


def _check_disclosure(figures: ReferralStatistics) -> None:
    """No shown count in 1..k-1; in every partition the hidden non-empty cells hold >= k
    (checked against the true counts, which the caller gives through ``truth``)."""
    k = figures.k
    rows = [figures.organisation_totals or []]
    for d in figures.departments:
        rows.append(d.totals)
        rows += [b.cells for b in d.outcomes + d.observations]
    for row in rows:
        for cell in row:
            assert cell is None or cell >= k


def test_small_cells_and_their_complements_are_hidden(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
) -> None:
    dept_c = make_department(org, "C1")
    _referrals(dept_a, 7, closed=5)
    _referrals(dept_b, 3)
    _referrals(dept_c, 6)
    _referrals(dept_a, 5, at=datetime(2026, 6, 1, 9, tzinfo=CPH))  # this quarter: not yet
    figures = referral_statistics(actor=SYSTEM, organisation=org, now=timezone.now())
    assert figures.quarter_labels[-1] == "1. kvt. 2026"
    # A quarter without referrals is "not shown", like one with a few: never a "0" next to a "·".
    assert figures.organisation_totals == [None, None, None, 16]
    totals = {d.department.code: d.totals[-1] for d in figures.departments}
    # B (3) is below k; C, the smallest other, is hidden too so that B is not 16 - 7 - C.
    assert totals == {"A1": 7, "B1": None, "C1": None}
    a = figures.departments[0]
    outcomes = {b.label: b.cells[-1] for b in a.outcomes}
    # 2 open is below k; "no action" (5) is hidden with it, or 7 - 5 would give it away.
    assert outcomes["ikke afsluttet endnu"] is None
    assert outcomes["ingen handling nødvendig"] is None
    assert outcomes["besøg aflagt"] is None  # none: looks the same as a few
    observations = {b.label: b.cells[-1] for b in a.observations}
    assert observations["ikke set i et stykke tid"] == 7
    # A suppressed department shows nothing of its breakdowns.
    b = figures.departments[1]
    assert all(x.cells[-1] is None for x in b.outcomes + b.observations)
    _check_disclosure(figures)


def test_a_small_organisation_total_hides_everything(
    org: Organisation, dept_a: Department, dept_b: Department
) -> None:
    _referrals(dept_a, 4)
    figures = referral_statistics(actor=SYSTEM, organisation=org, now=timezone.now())
    assert figures.organisation_totals is not None
    assert figures.organisation_totals[-1] is None
    assert [d.totals[-1] for d in figures.departments] == [None, None]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_organisations_never_show_a_small_cell(
    seed: int, org: Organisation, make_department: Callable[..., Department]
) -> None:
    rng = random.Random(seed)
    departments = [make_department(org, f"R{i}") for i in range(4)]
    truth: dict[tuple[int, int], int] = {}
    for d in departments:
        for q, month in enumerate((8, 11, 2)):
            year = 2026 if month == 2 else 2025
            n = rng.choice([0, 1, 2, 4, 5, 6, 9])
            truth[(d.pk, q)] = n
            for _i in range(n):
                observations = rng.sample(list(Observation.values), rng.randint(1, 2))
                outcome = rng.choice([*Outcome.values, ""])
                make_referral(
                    department=d,
                    created_at=datetime(year, month, 5, 12, tzinfo=CPH),
                    observations=observations,
                    status=ReferralStatus.CLOSED if outcome else ReferralStatus.RECEIVED,
                    outcome=outcome,
                    closed_at=datetime(year, month, 20, tzinfo=CPH) if outcome else None,
                )
    figures = referral_statistics(actor=SYSTEM, organisation=org, now=timezone.now())
    _check_disclosure(figures)
    for q in range(3):
        column = q + 1  # the first completed quarter (Q2 2025) is empty
        hidden = [
            truth[(d.department.pk, q)]
            for d in figures.departments
            if d.totals[column] is None and truth[(d.department.pk, q)] > 0
        ]
        assert not hidden or sum(hidden) >= figures.k
        for d in figures.departments:
            total = d.totals[column]
            cells = [b.cells[column] for b in d.outcomes]
            if total is not None and None in cells:
                # The hidden outcomes hold at least k: the shown ones leave k or more.
                assert total - sum(c for c in cells if c is not None) >= figures.k


def test_figures_outlive_retention(
    org: Organisation, dept_a: Department, dept_b: Department
) -> None:
    _referrals(dept_a, 7, closed=7)
    _referrals(dept_b, 6, closed=2)
    before = referral_statistics(actor=SYSTEM, organisation=org, now=timezone.now())
    retention_run(actor=SYSTEM, now=timezone.now())  # closed in February: past 90 days
    assert ReferralTally.objects.filter(dimension="total").count() == 2
    after = referral_statistics(actor=SYSTEM, organisation=org, now=timezone.now())
    assert after.organisation_totals == before.organisation_totals == [None, None, None, 13]
    for b, a in zip(before.departments, after.departments, strict=True):
        assert a.totals == b.totals
        assert [x.cells for x in a.outcomes] == [x.cells for x in b.outcomes]
        assert [x.cells for x in a.observations] == [x.cells for x in b.observations]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("social_worker", 200),
        ("caretaker", 404),
        ("board_member", 404),
        ("resident", 404),
        ("neighbour", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
        ("dpo", 404),
        ("other_social_worker", 404),
    ],
)
def test_the_page_only_for_the_permission(
    who: str,
    status: int,
    personas: dict[str, User],
    make_user: Callable[..., User],
    org: Organisation,
    other_org: Organisation,
    dept_a: Department,
    client_for: Callable[[User | None], Client],
) -> None:
    extra = {
        "social_worker": make_user(Role.SOCIAL_WORKER, org),
        "dpo": make_user(Role.DATA_PROTECTION, org),
        "other_social_worker": make_user(Role.SOCIAL_WORKER, other_org),
    }
    user = {**personas, **extra}[who]
    _referrals(dept_a, 6)
    response = client_for(user).get(URL)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Henvendelser pr. afdeling og kvartal" in page
        assert ">6<" in page


def test_anonymous_is_sent_to_log_in(client_for: Callable[[User | None], Client]) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302


def test_a_department_limited_viewer_sees_their_departments_without_the_total(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    _referrals(dept_a, 6)
    _referrals(dept_b, 3)
    worker = make_user(Role.SOCIAL_WORKER, org, [dept_a])
    figures = referral_statistics(actor=worker, organisation=org, now=timezone.now())
    assert figures.organisation_totals is None
    assert [d.department for d in figures.departments] == [dept_a]
    # The same pattern as the whole organisation's view: A is hidden with B (3).
    assert figures.departments[0].totals[-1] is None
    page = client_for(worker).get(URL).content.decode()
    assert "Hele organisationen" not in page
    assert dept_b.name not in page


def test_suppressed_cells_show_a_mark_not_a_number(
    dept_a: Department,
    dept_b: Department,
    coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    _referrals(dept_a, 8)
    _referrals(dept_b, 2)
    page = client_for(coordinator).get(URL).content.decode()
    assert ">2<" not in page
    assert ">8<" not in page
    assert "ikke vist: ingen, for få" in page
    assert ">10<" in page  # the organisation's total
