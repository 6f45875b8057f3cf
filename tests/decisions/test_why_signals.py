"""The plan's "why": departments like yours (the network's pool rule) and the well-being signal
of caretakers' concern referrals (k, complementary suppression, and a few looking exactly like
none), on the plan's pages and in its report, for whoever may see each."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.decisions import services
from lokalsamfund.decisions.models import Plan
from lokalsamfund.decisions.planning import PlanRequest
from lokalsamfund.decisions.rendering import render_report_document
from lokalsamfund.decisions.why_signals import why_signals
from lokalsamfund.network import services as network_services
from lokalsamfund.network.models import SharedRound
from lokalsamfund.surveys.models import SurveyRound
from lokalsamfund.wellbeing.models import Observation, Outcome, ReferralStatus
from lokalsamfund.wellbeing.selectors_statistics import completed_quarters, department_signal
from tests.network.conftest import own_round, sharing_orgs  # noqa: F401
from tests.surveys.conftest import make_closed_round  # noqa: F401
from tests.wellbeing.factories_rights import make_referral, rights_keys  # noqa: F401

from .conftest import make_evidence

pytestmark = pytest.mark.django_db

K = 5
REFERRALS = re.compile(r'<section class="why-referrals".*?</section>', re.S)
NETWORK = re.compile(r'<section class="why-network".*?</section>', re.S)


def _page(client: Any, plan: Plan) -> str:
    response = client.get(f"/beslutninger/planer/{plan.pk}/")
    assert response.status_code == 200
    text: str = response.content.decode()
    return text


def _section(pattern: re.Pattern[str], page: str) -> str | None:
    found = pattern.search(page)
    return found.group(0) if found else None


def _in_quarter(index: int, day: int = 10) -> datetime:
    """Noon on ``day`` of the ``index``-th completed quarter (0 = the oldest of four)."""
    quarter = completed_quarters(timezone.now())[index]
    moment = datetime.combine(quarter + timedelta(days=day - 1), time(12))
    return timezone.make_aware(moment)


def _refer(department: Department, n: int, *, quarter: int = 3, closed: int = 0) -> None:
    for i in range(n):
        at = _in_quarter(quarter, day=3 + i % 20)
        if i < closed:
            make_referral(
                department=department,
                created_at=at,
                status=ReferralStatus.CLOSED,
                outcome="visit_made",
                closed_at=at + timedelta(days=1),
            )
        else:
            make_referral(department=department, created_at=at)


@pytest.fixture
def plan_a(coordinator: User, dept_a: Department, evidence_for: Callable[..., Any]) -> Plan:
    evidence_for(A1=make_evidence("A1"))
    return services.plan_create(
        actor=coordinator,
        department=dept_a,
        request=PlanRequest(budget_dkk=60_000, draws=300),
        title="Plan A",
    )


# The well-being signal -------------------------------------------------------------------


@pytest.mark.usefixtures("rights_keys")
def test_k_minus_one_referrals_look_exactly_like_none(
    plan_a: Plan, dept_a: Department, coordinator: User, client_for: Callable[..., Any]
) -> None:
    client = client_for(coordinator)
    none = _section(REFERRALS, _page(client, plan_a))
    assert none is not None
    assert 'id="why-referrals-none"' in none
    _refer(dept_a, K - 1)
    few = _section(REFERRALS, _page(client, plan_a))
    assert few == none  # not a mark, not a number: the same bytes as no referral at all
    _refer(dept_a, 1)  # now k
    shown = _section(REFERRALS, _page(client, plan_a))
    assert shown is not None
    assert shown != none
    assert f'<td class="num">{K}</td>' in shown
    assert 'id="why-referrals-none"' not in shown


@pytest.mark.usefixtures("rights_keys")
def test_the_signal_follows_the_permission_table(
    plan_a: Plan,
    dept_a: Department,
    dept_b: Department,
    org: Organisation,
    personas: dict[str, User],
    make_user: Callable[..., User],
    client_for: Callable[..., Any],
) -> None:
    _refer(dept_a, 8)
    # Board members see the plan (VIEW_PLANS) but not referral statistics: no section at all.
    board = _page(client_for(personas["board_member"]), plan_a)
    assert "why-referrals" not in board
    for who in ("admin", "coordinator"):
        page = _page(client_for(personas[who]), plan_a)
        assert '<td class="num">8</td>' in (_section(REFERRALS, page) or "")
    # A coordinator limited to another department cannot open the plan at all, nor its signal.
    other = make_user(Role.COORDINATOR, org, [dept_b])
    assert client_for(other).get(f"/beslutninger/planer/{plan_a.pk}/").status_code == 404
    signals = why_signals(
        viewer=personas["board_member"], department=dept_a, plan_data={}, now=timezone.now()
    )
    assert signals.referrals is None
    assert (
        department_signal(actor=personas["board_member"], department=dept_a, now=timezone.now())
        is None
    )


@pytest.mark.usefixtures("rights_keys")
def test_a_small_department_hides_its_neighbour_too(
    plan_a: Plan,
    dept_a: Department,
    dept_b: Department,
    coordinator: User,
    client_for: Callable[..., Any],
) -> None:
    """A1 has 7, B1 has 3: B1 is hidden, and A1 with it, or the organisation's total on the
    statistics page (10) minus A1's 7 would give B1's 3 away."""
    _refer(dept_a, 7)
    _refer(dept_b, 3)
    section = _section(REFERRALS, _page(client_for(coordinator), plan_a)) or ""
    assert 'id="why-referrals-none"' in section
    assert ">7<" not in section
    assert ">3<" not in section


def _numbers(section: str) -> list[int]:
    return [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', section)]


@pytest.mark.usefixtures("rights_keys")
def test_differencing_outcomes_and_observations_recovers_nothing(
    plan_a: Plan, dept_a: Department, coordinator: User, client_for: Callable[..., Any]
) -> None:
    """7 referrals in a quarter, 2 still open, 5 closed: "open" (2) is hidden, and so is the
    closed outcome, or 7 - 5 would give it away; every number shown is at least k."""
    _refer(dept_a, 7, closed=5)
    section = _section(REFERRALS, _page(client_for(coordinator), plan_a)) or ""
    assert _numbers(section)
    assert all(n >= K for n in _numbers(section))
    assert '<td class="num">7</td>' in section  # the total and the observation "not seen"
    assert ">2<" not in section
    assert ">5<" not in section


@pytest.mark.usefixtures("rights_keys")
@pytest.mark.parametrize("seed", [4, 5, 6])
def test_no_sum_of_shown_cells_recovers_a_hidden_one(
    seed: int, org: Organisation, make_department: Callable[..., Department]
) -> None:
    """Random referrals over four departments and four quarters, against the truth: every shown
    count is at least k; per partition (a quarter's departments, a department-quarter's
    outcomes) the hidden cells hold none or at least k, so no difference of shown figures
    (total minus the shown cells) is a small count; and the signal has no total across
    quarters to difference against."""
    rng = random.Random(seed)
    departments = [make_department(org, f"S{i}") for i in range(4)]
    truth: dict[tuple[int, int], int] = {}
    outcomes: dict[tuple[int, int, str], int] = {}
    for d in departments:
        for q in range(4):
            n = rng.choice([0, 1, 3, 4, 5, 6, 8])
            truth[(d.pk, q)] = n
            for i in range(n):
                outcome = rng.choice([*Outcome.values, ""])
                outcomes[(d.pk, q, outcome or "open")] = (
                    outcomes.get((d.pk, q, outcome or "open"), 0) + 1
                )
                at = _in_quarter(q, day=2 + i)
                make_referral(
                    department=d,
                    created_at=at,
                    observations=rng.sample(list(Observation.values), 1),
                    status=ReferralStatus.CLOSED if outcome else ReferralStatus.RECEIVED,
                    outcome=outcome,
                    closed_at=at + timedelta(days=1) if outcome else None,
                )
    now = timezone.now()
    signals = {d.pk: department_signal(actor=SYSTEM, department=d, now=now) for d in departments}
    for q in range(4):
        hidden = [
            truth[(d.pk, q)]
            for d in departments
            if signals[d.pk].figures.totals[q] is None  # type: ignore[union-attr]
        ]
        assert sum(hidden) == 0 or sum(hidden) >= K
    for d in departments:
        signal = signals[d.pk]
        assert signal is not None
        rows = [signal.figures.totals] + [
            b.cells for b in signal.figures.outcomes + signal.figures.observations
        ]
        assert all(cell is None or cell >= K for row in rows for cell in row)
        assert all(len(row) == 4 for row in rows)  # one cell per quarter: no total across them
        for q in range(4):
            total = signal.figures.totals[q]
            if total is None:
                assert all(
                    b.cells[q] is None
                    for b in signal.figures.outcomes + signal.figures.observations
                )
                continue
            shown = sum(b.cells[q] or 0 for b in signal.figures.outcomes)
            assert total - shown == 0 or total - shown >= K


# Departments like yours -------------------------------------------------------------------


@pytest.fixture
def real_plan(coordinator: User, dept_a: Department, own_round: SurveyRound) -> Plan:  # noqa: F811
    return services.plan_create(
        actor=coordinator,
        department=dept_a,
        request=PlanRequest(budget_dkk=60_000, draws=300),
        title="Plan med netværk",
    )


def _cells(section: str, scope: str) -> list[str]:
    return re.findall(rf'<td data-scope="{scope}">(.*?)</td>', section, re.S)


@pytest.mark.parametrize("persona", ["coordinator", "board_member", "admin"])
def test_departments_like_yours_next_to_the_own_figures(
    sharing_orgs: list[SurveyRound],  # noqa: F811
    real_plan: Plan,
    personas: dict[str, User],
    client_for: Callable[..., Any],
    persona: str,
) -> None:
    client = client_for(personas[persona])
    page = _page(client, real_plan)
    section = _section(NETWORK, page)
    assert section is not None
    assert 'data-indicator="severe_loneliness_share"' in section
    everyone = _cells(section, "all")
    assert everyone
    assert "%" in everyone[0]
    assert "(" in everyone[0]
    # The same figures as the network's own page for the department (one pool rule, reused).
    network_page = client.get("/netvaerk/afdeling/test-org/A1/").content.decode()
    assert _cells(network_page, "all") == everyone
    assert "6 afdelinger, 3 organisationer" in section
    # The department's own figure from the plan's round, with its interval.
    own_row = re.search(
        r'data-indicator="severe_loneliness_share">.*?</th>\s*<td>(.*?)</td>', section, re.S
    )
    assert own_row
    assert "%" in own_row.group(1)
    assert "(" in own_row.group(1)
    assert "egen-runde" in section


def test_without_a_sufficient_pool_nothing_is_shown(
    sharing_orgs: list[SurveyRound],  # noqa: F811
    real_plan: Plan,
    coordinator: User,
    client_for: Callable[..., Any],
) -> None:
    client = client_for(coordinator)
    assert "why-network-none" not in (_section(NETWORK, _page(client, real_plan)) or "")
    # One of the three organisations stops sharing: two are left, below the pool rule.
    network_services.round_unshare(actor=SYSTEM, survey_round=sharing_orgs[0])
    assert SharedRound.objects.count() == 2
    section = _section(NETWORK, _page(client, real_plan)) or ""
    assert 'id="why-network-none"' in section
    assert "data-scope" not in section
    assert "organisationer</span>" not in section


def test_the_report_document_has_the_benchmark(
    sharing_orgs: list[SurveyRound],  # noqa: F811
    real_plan: Plan,
    dept_a: Department,
    coordinator: User,
    client_for: Callable[..., Any],
) -> None:
    from lokalsamfund.decisions.selectors import plan_data

    data = plan_data(real_plan)
    signals = why_signals(viewer=coordinator, department=dept_a, plan_data=data, now=timezone.now())
    document = render_report_document(data, signals=signals)
    section = _section(NETWORK, document) or ""
    assert 'data-scope="similar"' in section
    assert "6 afdelinger, 3 organisationer" in section
    pdf = client_for(coordinator).get(f"/beslutninger/planer/{real_plan.pk}/rapport.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # Without the pool the report says so and shows no figure.
    for shared in sharing_orgs[:2]:
        network_services.round_unshare(actor=SYSTEM, survey_round=shared)
    signals = why_signals(viewer=coordinator, department=dept_a, plan_data=data, now=timezone.now())
    section = _section(NETWORK, render_report_document(data, signals=signals)) or ""
    assert 'id="why-network-none"' in section
    assert "data-scope" not in section


def test_no_benchmark_for_who_may_not_see_survey_results(
    sharing_orgs: list[SurveyRound],  # noqa: F811
    real_plan: Plan,
    dept_a: Department,
    personas: dict[str, User],
) -> None:
    for who in ("resident", "caretaker", "outsider", "no_role"):
        signals = why_signals(
            viewer=personas[who], department=dept_a, plan_data={}, now=timezone.now()
        )
        assert signals.network is None
        assert signals.referrals is None
