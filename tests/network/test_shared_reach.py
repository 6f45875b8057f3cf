"""Sharing participation figures with the network: what is stored, the local evidence in the
decision tool's catalogue (pages and API), realised reach on ideas, stopping, and who may."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.activities import figures
from lokalsamfund.core.errors import DomainError, Forbidden, NotFound
from lokalsamfund.core.models import AuditEntry, Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.decisions import selectors as decision_selectors
from lokalsamfund.network import ideas, services, shared_reach
from lokalsamfund.network.models import Idea, ReachShare, SharedReach
from lokalsamfund.surveys.models import SurveyRound
from tests.activities.factories_participation import counted, make_activity
from tests.network.conftest import TYPE, dinners, ended_months

CATALOGUE = "/beslutninger/katalog/"
API = "/api/v1/catalogue?organisation=test-org"
MAY_PLAN = {"admin", "coordinator"}


def local(organisation: Organisation) -> dict[str, Any]:
    data = decision_selectors.catalogue_data(organisation, "da")
    return next(a for a in data if a["slug"] == TYPE)["local_evidence"]


def test_share_stores_only_shown_sums_per_department_and_type(
    reach_orgs: list[Organisation],
) -> None:
    organisation = reach_orgs[0]
    share = ReachShare.objects.get(organisation=organisation)
    rows = list(share.rows.order_by("label"))
    assert len(rows) == 2
    first, last = share.first_month, share.last_month
    assert (first, last) == figures.default_range()
    n1 = Department.objects.get(organisation=organisation, code="N1")
    # N1's dinners: 15, 16, 17 over three ended months
    row = next(
        r
        for r in rows
        if r.label == services.bundle.department_label(services.local_member(organisation), n1.code)
    )
    assert (row.activity_type, row.attendances, row.sessions, row.months) == (TYPE, 48, 3, 12)
    assert {f.name for f in SharedReach._meta.concrete_fields} == {
        "id",
        "share",
        "label",
        "kind",
        "size_band",
        "activity_type",
        "attendances",
        "sessions",
        "months",
    }
    entry = AuditEntry.objects.filter(action="network.reach_shared").last()
    assert entry is not None
    assert entry.data["rows"] == 2


def test_figures_below_k_are_not_shared(
    org: Organisation, dept_a: Department, dept_b: Department
) -> None:
    activity = make_activity(org, [dept_a], activity_type=TYPE)
    when = ended_months(1)[0]
    counted(activity, when, 3)  # below k: hidden in the participation report too
    other = make_activity(org, [dept_b], activity_type="gaaklub")
    counted(other, when, 12)
    counted(other, when + timedelta(days=7), 4)
    shared_reach.reach_share(actor=SYSTEM, organisation=org)
    rows = list(SharedReach.objects.filter(share__organisation=org))
    # A1's 3 is hidden; B1's walking group is shown as the report shows it (16, or hidden
    # with A1's cell by complementary suppression): never the 3.
    assert all(r.attendances >= 5 for r in rows)
    assert not any(r.activity_type == TYPE for r in rows)


def test_catalogue_shows_labelled_local_evidence(
    reach_orgs: list[Organisation], org: Organisation
) -> None:
    found = local(org)
    assert found["shown"]
    assert (found["organisations"], found["departments"]) == (3, 6)
    assert found["sessions"] == 18
    expected = sum(3 * (15 + 3 * i + j) + 3 for i in range(3) for j in range(2))
    assert found["attendances"] == expected
    assert found["per_session"]["low"] <= found["per_session"]["value"]
    assert found["per_session"]["value"] <= found["per_session"]["high"]
    assert found["source"] == "3 organisationer i netværket"
    assert found["text"][0].startswith("Lokal evidens")
    # The research evidence stays what the catalogue says, next to it.
    row = next(a for a in decision_selectors.catalogue_data(org, "da") if a["slug"] == TYPE)
    assert row["research_evidence"]["class"] == "social_interaction"
    others = [a for a in decision_selectors.catalogue_data(org, "da") if a["slug"] != TYPE]
    assert not any(a["local_evidence"]["shown"] for a in others)


def test_own_figures_never_in_own_local_evidence(
    reach_orgs: list[Organisation], org: Organisation, dept_a: Department
) -> None:
    dinners(org, dept_a, 40)
    shared_reach.reach_share(actor=SYSTEM, organisation=org)
    assert (local(org)["organisations"], local(org)["departments"]) == (3, 6)
    # another organisation's pool holds test-org instead of itself
    seen_by_first = local(reach_orgs[0])
    assert (seen_by_first["organisations"], seen_by_first["departments"]) == (3, 5)


def test_stopping_removes_it_from_catalogue_ideas_and_api(
    reach_orgs: list[Organisation],
    org: Organisation,
    coordinator: User,
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
) -> None:
    first = reach_orgs[0]
    idea = ideas.idea_create(
        actor=SYSTEM,
        organisation=first,
        department=Department.objects.get(organisation=first, code="N1"),
        title="Madklub",
        problem="Ensomhed",
        tried="Fællesspisning",
        activity_type=TYPE,
        contact="Koordinatoren",
    )
    assert shared_reach.idea_reach(idea) is not None
    page = client_for(coordinator).get(CATALOGUE).content.decode()
    assert "Lokal evidens: 6 afdelinger" in page
    assert api_for(coordinator).get(API).json()[0]["local_evidence"] is not None
    listed = api_for(coordinator).get("/api/v1/network/ideas").json()
    assert listed[0]["realised_reach"]["attendances"] == 48

    shared_reach.reach_unshare(actor=SYSTEM, organisation=first)

    assert not ReachShare.objects.filter(organisation=first).exists()
    assert not local(org)["shown"]
    assert "Lokal evidens:" not in client_for(coordinator).get(CATALOGUE).content.decode()
    body = api_for(coordinator).get(API).json()
    assert not next(a for a in body if a["slug"] == TYPE)["local_evidence"]["shown"]
    assert shared_reach.idea_reach(Idea.objects.get(pk=idea.pk)) is None
    assert api_for(coordinator).get("/api/v1/network/ideas").json()[0]["realised_reach"] is None
    idea_page = client_for(coordinator).get(f"/netvaerk/ideer/{idea.pk}/").content.decode()
    assert "data-realised-reach" not in idea_page
    with pytest.raises(NotFound):
        shared_reach.reach_unshare(actor=SYSTEM, organisation=first)


def test_before_after_change_from_shared_rounds(
    reach_orgs: list[Organisation],
    sharing_orgs: list[SurveyRound],
    org: Organisation,
    make_closed_round: Callable[..., SurveyRound],
) -> None:
    """Each organisation also shares a round closed before the reach period began: the
    catalogue shows the pooled change with its interval (the rounds closed now are after)."""
    long_ago = timezone.now() - timedelta(days=730)
    for i, organisation in enumerate(reach_orgs):
        departments = list(Department.objects.filter(organisation=organisation).order_by("code"))
        earlier = make_closed_round(
            organisation, departments, {"N1": 60, "N2": 50}, seed=30 + i, slug=f"tidlig-{i}"
        )
        SurveyRound.objects.filter(pk=earlier.pk).update(closed_at=long_ago)
        earlier.refresh_from_db()
        services.round_share(actor=SYSTEM, survey_round=earlier)
    change = local(org)["changes"]["severe_loneliness_share"]
    assert change["shown"]
    assert (change["organisations"], change["departments"]) == (3, 6)
    assert change["change"]["low"] <= change["change"]["value"] <= change["change"]["high"]
    assert any("procentpoint" in line for line in local(org)["text"])
    # an idea of N1 shows the department's own change, with its interval
    first = reach_orgs[0]
    idea = ideas.idea_create(
        actor=SYSTEM,
        organisation=first,
        department=Department.objects.get(organisation=first, code="N1"),
        title="Madklub",
        problem="Ensomhed",
        tried="Fællesspisning",
        activity_type=TYPE,
        contact="Koordinatoren",
    )
    found = shared_reach.idea_reach(idea)
    assert found is not None
    own = found.changes["severe_loneliness_share"]
    assert own.low <= own.value <= own.high
    # one organisation stops sharing its early round: the change leaves the catalogue
    services.round_unshare(actor=SYSTEM, survey_round=SurveyRound.objects.get(slug="tidlig-0"))
    assert not local(org)["changes"]["severe_loneliness_share"]["shown"]


def test_idea_department_must_be_the_organisations(
    org: Organisation, other_dept: Department, coordinator: User
) -> None:
    with pytest.raises(DomainError, match="hører ikke til boligorganisationen"):
        ideas.idea_create(
            actor=coordinator,
            organisation=org,
            department=other_dept,
            title="x",
            problem="y",
            tried="z",
            contact="c",
        )
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "admin",
        "coordinator",
        "caretaker",
        "board_member",
        "resident",
        "neighbour",
        "association",
        "outsider",
        "no_role",
    ],
)
def test_catalogue_page_and_api_by_persona(
    reach_orgs: list[Organisation],
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    user = personas[persona]
    page = client_for(user).get(CATALOGUE)
    response = api_for(user).get(API)
    if persona in MAY_PLAN:
        assert page.status_code == 200
        assert f'data-local-evidence="{TYPE}"' in page.content.decode()
        assert response.status_code == 200
        row = next(a for a in response.json() if a["slug"] == TYPE)
        assert row["local_evidence"]["shown"]
        assert row["research_evidence"]["class"]
    elif persona == "outsider":  # a coordinator elsewhere: its own catalogue, never ours
        assert page.status_code == 200
        assert "Boligselskabet Test" not in page.content.decode()
        assert response.status_code == 404
    else:
        assert page.status_code in {302, 403}
        # another organisation's (or no organisation's) user cannot tell test-org exists
        assert response.status_code == (404 if persona in {"outsider", "no_role"} else 403)
    assert api_for(None).get(API).status_code == 401


def test_outsider_reads_its_own_catalogue(
    reach_orgs: list[Organisation], outsider: User, api_for: Callable[[User | None], Any]
) -> None:
    response = api_for(outsider).get("/api/v1/catalogue")
    assert response.status_code == 200
    assert next(a for a in response.json() if a["slug"] == TYPE)["local_evidence"]["shown"]


@pytest.mark.parametrize(
    "persona", ["board_member", "caretaker", "resident", "neighbour", "association", "outsider"]
)
def test_only_sharers_share_participation(
    org: Organisation,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    url = f"/netvaerk/deltagelse/{org.slug}/"
    client = client_for(personas[persona])
    assert client.post(url, {"action": "share"}).status_code == 404
    assert not ReachShare.objects.filter(organisation=org).exists()
    shared_reach.reach_share(actor=SYSTEM, organisation=org)
    assert client.post(url, {"action": "stop"}).status_code == 404
    assert ReachShare.objects.filter(organisation=org).exists()
    with pytest.raises(Forbidden):
        shared_reach.reach_share(actor=personas[persona], organisation=org)


def test_coordinator_shares_and_stops_on_the_page(
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable[[User | None], Any],
) -> None:
    dinners(org, dept_a, 20)
    client = client_for(coordinator)
    url = f"/netvaerk/deltagelse/{org.slug}/"
    assert f'data-reach-share="{org.slug}"' in client.get("/netvaerk/deling/").content.decode()
    client.post(url, {"action": "share"})
    assert SharedReach.objects.filter(share__organisation=org, activity_type=TYPE).exists()
    client.post(url, {"action": "stop"})
    assert not ReachShare.objects.filter(organisation=org).exists()
    anonymous = client_for(None).post(url, {"action": "share"})
    assert anonymous.status_code == 302
    assert not ReachShare.objects.filter(organisation=org).exists()


IDEA_READERS = {"admin", "coordinator", "outsider"}


@pytest.fixture
def dinner_idea(reach_orgs: list[Organisation]) -> Idea:
    first = reach_orgs[0]
    return ideas.idea_create(
        actor=SYSTEM,
        organisation=first,
        department=Department.objects.get(organisation=first, code="N1"),
        title="Madklub",
        problem="Ensomhed",
        tried="Fællesspisning",
        activity_type=TYPE,
        contact="Koordinatoren",
    )


@pytest.mark.parametrize(
    "persona",
    [
        "admin",
        "coordinator",
        "caretaker",
        "board_member",
        "resident",
        "neighbour",
        "association",
        "outsider",
        "no_role",
    ],
)
def test_idea_reach_by_persona(
    dinner_idea: Idea,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    page = client_for(personas[persona]).get(f"/netvaerk/ideer/{dinner_idea.pk}/")
    response = api_for(personas[persona]).get("/api/v1/network/ideas")
    if persona in IDEA_READERS:
        assert page.status_code == 200
        html = page.content.decode()
        assert "data-realised-reach" in html
        assert "48 fremmøder ved 3 gange" in html
        assert response.status_code == 200
        found = response.json()[0]
        assert found["department"] == "Afdeling N1"
        assert (found["realised_reach"]["attendances"], found["realised_reach"]["sessions"]) == (
            48,
            3,
        )
    else:
        assert page.status_code == 403
        assert response.status_code == 403


def test_post_an_idea_with_its_department(
    coordinator: User,
    org: Organisation,
    dept_a: Department,
    other_dept: Department,
    client_for: Callable[[User | None], Any],
) -> None:
    form = {
        "title": "Madklub",
        "problem": "Ensomhed",
        "tried": "Fællesspisning",
        "contact": "k@example.org",
        "activity_type": TYPE,
        "department_kind": "family",
    }
    client = client_for(coordinator)
    refused = client.post("/netvaerk/ideer/ny/", {**form, "department": other_dept.pk})
    assert refused.status_code == 200  # another organisation's department is no choice
    assert not Idea.objects.exists()
    assert client.post("/netvaerk/ideer/ny/", {**form, "department": dept_a.pk}).status_code == 302
    assert Idea.objects.get().origin.department == dept_a


def test_ideas_list_costs_a_fixed_number_of_queries(
    dinner_idea: Idea, reach_orgs: list[Organisation], coordinator: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            found = ideas.ideas_for(coordinator)[:200]
            reach = shared_reach.ideas_reach(found)
        assert all(reach[i.pk] is not None for i in found)
        return len(queries)

    count()  # the first read fills the user's permission cache
    one = count()
    for organisation in reach_orgs[1:]:
        ideas.idea_create(
            actor=SYSTEM,
            organisation=organisation,
            department=Department.objects.get(organisation=organisation, code="N2"),
            title="Madklub",
            problem="Ensomhed",
            tried="Fællesspisning",
            activity_type=TYPE,
            contact="Koordinatoren",
        )
    assert count() == one
