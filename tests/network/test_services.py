"""Sharing a closed round and stopping it; department master data; what is stored."""

from __future__ import annotations

import json

import pytest

from lokalsamfund.core.audit import AuditEntry
from lokalsamfund.core.errors import Conflict, Forbidden, NotFound
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import pool, selectors, services
from lokalsamfund.network.models import SharedDepartment, SharedRound
from lokalsamfund.surveys.models import SurveyRound

SHARE = "severe_loneliness_share"


def test_benchmark_shown_with_three_sharing_organisations(
    sharing_orgs: list[SurveyRound], dept_a: Department
) -> None:
    result = selectors.department_benchmark(dept_a)
    assert result.similar[SHARE].shown
    assert result.similar[SHARE].organisations == 3
    assert result.similar[SHARE].departments == 6
    assert result.all["who5_low_share"].shown


def test_stopped_share_leaves_every_benchmark(
    sharing_orgs: list[SurveyRound], dept_a: Department, coordinator: User
) -> None:
    first = sharing_orgs[0]
    services.round_unshare(actor=SYSTEM, survey_round=first)
    assert not SharedDepartment.objects.filter(shared_round__survey_round=first).exists()
    result = selectors.department_benchmark(dept_a)
    assert not result.similar[SHARE].shown  # two organisations left
    assert not result.all[SHARE].shown
    assert AuditEntry.objects.filter(action="network.share_stopped").count() == 1
    with pytest.raises(NotFound):
        services.round_unshare(actor=SYSTEM, survey_round=first)


def test_own_organisation_not_in_its_pool(
    sharing_orgs: list[SurveyRound], own_round: SurveyRound, dept_a: Department
) -> None:
    before = selectors.department_benchmark(dept_a).as_dict()
    services.round_share(actor=SYSTEM, survey_round=own_round)
    assert selectors.department_benchmark(dept_a).as_dict() == before
    # ... but another organisation's pool now holds it.
    other = Department.objects.get(organisation__slug="net-0", code="N1")
    assert selectors.department_benchmark(other).all[SHARE].departments == 5


def test_share_stores_only_shown_whole_department_figures(
    own_round: SurveyRound, coordinator: User
) -> None:
    shared = services.round_share(actor=coordinator, survey_round=own_round)
    rows = list(shared.departments.all())
    assert len(rows) == 1
    row = rows[0]
    assert set(row.figures) <= set(pool.INDICATORS)
    assert row.respondents == 60
    assert "A1" not in json.dumps(row.figures)
    assert row.label != "A1"
    assert all(f["denominator"] >= 5 for f in row.figures.values())
    entry = AuditEntry.objects.get(action="network.round_shared")
    assert entry.actor == coordinator
    with pytest.raises(Conflict):
        services.round_share(actor=coordinator, survey_round=own_round)


def test_suppressed_department_not_shared(
    org, dept_a: Department, dept_b: Department, make_department, make_closed_round
) -> None:
    """B1 (3 answers) is suppressed, and C1 with it (complementary): only A1 is shared."""
    dept_c = make_department(org, "C1")
    survey_round = make_closed_round(
        org, [dept_a, dept_b, dept_c], {"A1": 40, "B1": 3, "C1": 30}, slug="lille"
    )
    shared = services.round_share(actor=SYSTEM, survey_round=survey_round)
    assert shared.departments.count() == 1
    assert shared.departments.get().respondents == 40


def test_open_round_cannot_be_shared(org, dept_a: Department, make_round) -> None:
    survey_round = make_round(org, [dept_a])
    with pytest.raises(Conflict):
        services.round_share(actor=SYSTEM, survey_round=survey_round)
    assert not SharedRound.objects.exists()


@pytest.mark.parametrize("persona", ["board_member", "caretaker", "resident", "outsider"])
def test_only_sharers_share(
    own_round: SurveyRound, personas: dict[str, User], persona: str
) -> None:
    with pytest.raises(Forbidden):
        services.round_share(actor=personas[persona], survey_round=own_round)
    with pytest.raises(Forbidden):
        services.round_share(actor=None, survey_round=own_round)  # type: ignore[arg-type]
    assert not SharedRound.objects.exists()


def test_profile_follows_into_shared_rounds(
    own_round: SurveyRound, dept_a: Department, admin_user: User
) -> None:
    services.round_share(actor=admin_user, survey_round=own_round)
    services.profile_set(actor=admin_user, department=dept_a, kind="senior", region="syddanmark")
    row = SharedDepartment.objects.get()
    assert (row.kind, row.region) == ("senior", "syddanmark")
    assert services.profile_of(dept_a) == ("senior", "100_299", "syddanmark")
