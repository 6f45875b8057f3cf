"""Participation figures by every surface (page, export, API, CLI): never a figure below k to
anyone but the organiser, the same suppression everywhere; the organiser's exact counts; the
headcount page and endpoint; other organisations and roles refused."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalsamfund.activities.models import Activity, ActivitySettings, Headcount
from lokalsamfund.core.models import Department, Organisation, Role, User

from .factories_participation import at, counted, make_activity, make_occurrence

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]

K = 5
PAGE = "/aktiviteter/deltagelse/"
API = "/api/v1/activities/participation"


@pytest.fixture
def club_organiser(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    return make_user(Role.RESIDENT, org, [dept_a])


@pytest.fixture
def data(
    org: Organisation, dept_a: Department, dept_b: Department, club_organiser: User
) -> dict[str, Activity]:
    """April: every figure at least k. May: the senior club in A1 had 3 (below k)."""
    meal_a = make_activity(org, [dept_a], activity_type="faellesspisning", title="Spisning A")
    club_a = make_activity(
        org, [dept_a], activity_type="seniorklub", title="Klub A", organisers=[club_organiser]
    )
    meal_b = make_activity(org, [dept_b], activity_type="faellesspisning", title="Spisning B")
    club_b = make_activity(org, [dept_b], activity_type="seniorklub", title="Klub B")
    counted(meal_a, at(2026, 4, 2), 20, new_faces=6)
    counted(meal_a, at(2026, 4, 16), 25)
    counted(club_a, at(2026, 4, 8), 10)
    counted(meal_b, at(2026, 4, 9), 15)
    counted(club_b, at(2026, 4, 9), 8)
    counted(meal_a, at(2026, 5, 7), 20)
    counted(club_a, at(2026, 5, 13), 3, new_faces=1)
    counted(meal_b, at(2026, 5, 7), 12)
    return {"meal_a": meal_a, "club_a": club_a, "meal_b": meal_b, "club_b": club_b}


def _attendances(report: dict[str, Any]) -> list[int]:
    values = []
    for month in report["months"]:
        for figure in [month["total"], *month["types"].values()]:
            if figure["attendances"] is not None:
                values.append(figure["attendances"])
    return values


def _assert_protected(report: dict[str, Any]) -> None:
    """No figure below k, and no month whose total less its shown types is below k."""
    assert not [v for v in _attendances(report) if 0 < v < K]
    for month in report["months"]:
        total = month["total"]["attendances"]
        if total is None:
            continue
        hidden = [f for f in month["types"].values() if f["suppressed"] and f["sessions"]]
        shown = sum(f["attendances"] for f in month["types"].values() if not f["suppressed"])
        assert not hidden or (len(hidden) >= 2 and total - shown >= K)


def _may(report: dict[str, Any]) -> dict[str, Any]:
    return next(m for m in report["months"] if m["month"] == "2026-05")


def test_page_shows_april_exactly_and_hides_the_small_club(
    client_for: Callable[..., Any], coordinator: User, data: dict[str, Activity], dept_a: Department
) -> None:
    client = client_for(coordinator)
    response = client.get(PAGE, {"omfang": f"dept-{dept_a.pk}", "fra": "2026-04", "til": "2026-05"})
    assert response.status_code == 200
    report = response.context["report"].as_dict()
    _assert_protected(report)
    april = report["months"][0]
    assert april["types"]["faellesspisning"]["attendances"] == 45
    assert april["types"]["faellesspisning"]["new_faces"] == 6
    assert april["types"]["seniorklub"]["attendances"] == 10
    assert _may(report)["types"]["seniorklub"]["attendances"] is None
    html = response.content.decode()
    assert ">3 (1)" not in html
    assert "⌀ 3,0" not in html
    # The coordinator organises nothing: no exact counts.
    assert not response.context["own"]


def test_organisation_page_and_exports_are_protected(
    client_for: Callable[..., Any], coordinator: User, data: dict[str, Activity], org: Organisation
) -> None:
    client = client_for(coordinator)
    params = {"omfang": f"org-{org.pk}", "fra": "2026-04", "til": "2026-05"}
    report = client.get(PAGE, params).context["report"].as_dict()
    _assert_protected(report)
    assert report["months"][0]["total"]["attendances"] == 78
    assert _may(report)["types"]["seniorklub"]["attendances"] is None

    text = client.get(PAGE, {**params, "format": "csv"}).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Måned"  # Danish headings
    attendances = [int(r[3]) for r in rows[1:] if r[3]]
    assert 78 in attendances
    assert not [v for v in attendances if 0 < v < K]

    response = client.get(PAGE, {**params, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 78 in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < K]


def test_api_and_cli_give_the_same_protected_figures(
    api_for: Callable[..., Any], coordinator: User, data: dict[str, Activity], org: Organisation
) -> None:
    response = api_for(coordinator).get(
        API, data={"organisation": org.slug, "department": "A1", "from": "2026-04", "to": "2026-05"}
    )
    assert response.status_code == 200, response.content
    from_api = response.json()
    _assert_protected(from_api)
    assert from_api["min_cell_size"] == K

    out = io.StringIO()
    call_command(
        "activities", "participation", "--department", "A1", "--organisation", org.slug,
        "--from", "2026-04", "--to", "2026-05", "--format", "json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue()) == from_api

    out = io.StringIO()
    call_command(
        "activities", "participation", "--department", "A1", "--from", "2026-04",
        "--to", "2026-05", "--format", "csv", stdout=out,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    may_club = next(
        r for r in rows if r["month"] == "2026-05" and r["activity_type"] == "seniorklub"
    )
    assert may_club["attendances"] == ""
    assert may_club["suppressed"] == "True"
    assert not [r for r in rows if r["attendances"] and 0 < int(r["attendances"]) < K]


def test_raised_k_from_the_organisation_settings(
    api_for: Callable[..., Any], coordinator: User, data: dict[str, Activity], org: Organisation
) -> None:
    ActivitySettings.objects.create(organisation=org, min_cell_size=12)
    report = api_for(coordinator).get(
        API, data={"department": "A1", "from": "2026-04", "to": "2026-04"}
    )
    figures = report.json()["months"][0]["types"]
    assert figures["seniorklub"]["attendances"] is None  # 10 < 12


def test_organiser_sees_own_exact_counts(
    client_for: Callable[..., Any], club_organiser: User, data: dict[str, Activity]
) -> None:
    response = client_for(club_organiser).get(PAGE, {"fra": "2026-04", "til": "2026-05"})
    assert response.status_code == 200
    assert response.context["report"] is None  # a resident sees no department figures
    own = {(f.title, f.month): f for f in response.context["own"]}
    assert own[("Klub A", "2026-05")].attendances == 3
    assert own[("Klub A", "2026-05")].new_faces == 1
    assert set(own) == {("Klub A", "2026-04"), ("Klub A", "2026-05")}


@pytest.mark.parametrize(
    ("persona", "scope", "status"),
    [
        ("admin", "org", 200),
        ("coordinator", "B1", 200),
        ("board_member", "A1", 200),
        ("board_member", "B1", 403),
        ("board_member", "org", 403),
        ("caretaker", "A1", 200),
        ("caretaker", "org", 403),
        ("outsider", "org", 403),
        ("outsider", "A1", 403),
        ("resident", "A1", 403),
        ("neighbour", "A1", 403),
        ("no_role", "A1", 403),
    ],
)
def test_page_scopes(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    data: dict[str, Activity],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    persona: str,
    scope: str,
    status: int,
) -> None:
    value = {"org": f"org-{org.pk}", "A1": f"dept-{dept_a.pk}", "B1": f"dept-{dept_b.pk}"}[scope]
    response = client_for(personas[persona]).get(PAGE, {"omfang": value})
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client_for: Callable[..., Any]) -> None:
    assert client_for(None).get(PAGE).status_code == 302


@pytest.mark.parametrize(
    ("persona", "params", "status"),
    [
        ("coordinator", {"department": "B1"}, 200),
        ("board_member", {"department": "A1"}, 200),
        ("board_member", {"department": "B1"}, 403),
        ("board_member", {}, 403),
        ("resident", {"department": "A1"}, 403),
        ("outsider", {"organisation": "test-org", "department": "A1"}, 404),
        ("coordinator", {"department": "ZZ"}, 404),
        ("coordinator", {"department": "A1", "to": "2026-06"}, 400),
        ("coordinator", {"department": "A1", "from": "2026-13"}, 400),
    ],
)
def test_api_scopes(
    api_for: Callable[..., Any],
    personas: dict[str, User],
    data: dict[str, Activity],
    persona: str,
    params: dict[str, str],
    status: int,
) -> None:
    assert api_for(personas[persona]).get(API, data=params).status_code == status
    assert api_for(None).get(API, data=params).status_code == 401


def test_cli_errors_are_messages(data: dict[str, Activity]) -> None:
    with pytest.raises(CommandError, match="No department"):
        call_command("activities", "participation", "--department", "ZZ", "--from", "2026-01",
                     "--to", "2026-02")  # fmt: skip
    with pytest.raises(CommandError, match="2026-05"):
        call_command("activities", "participation", "--department", "A1", "--from", "2026-01",
                     "--to", "2026-06")  # fmt: skip


# The headcount page and endpoint.


@pytest.fixture
def yesterday(data: dict[str, Activity]) -> Any:
    return make_occurrence(data["club_a"], timezone.now() - timedelta(days=1))


def _url(occurrence: Any) -> str:
    return f"/aktiviteter/tid/{occurrence.pk}/deltagere/"


def test_organiser_records_on_the_page_with_plus_and_minus(
    client_for: Callable[..., Any], club_organiser: User, yesterday: Any
) -> None:
    client = client_for(club_organiser)
    assert client.get(_url(yesterday)).status_code == 200
    stepped = client.post(_url(yesterday), {"total": "7", "step": "total:+1"})
    assert stepped.status_code == 200
    assert stepped.context["form"]["total"].value() == "8"
    assert not Headcount.objects.filter(occurrence=yesterday).exists()
    down = client.post(_url(yesterday), {"total": "0", "step": "total:-1"})
    assert down.context["form"]["total"].value() == "0"
    saved = client.post(_url(yesterday), {"total": "8", "seniors": "8", "new_faces": ""})
    assert saved.status_code == 302
    h = Headcount.objects.get(occurrence=yesterday)
    assert (h.total, h.seniors, h.new_faces) == (8, 8, None)
    wrong = client.post(_url(yesterday), {"total": "8", "seniors": "9"})
    assert wrong.status_code == 200
    assert "flere end det samlede antal" in wrong.content.decode()
    assert Headcount.objects.get(occurrence=yesterday).seniors == 8


def test_page_before_the_start_has_no_form(
    client_for: Callable[..., Any], club_organiser: User, data: dict[str, Activity]
) -> None:
    later = make_occurrence(data["club_a"], timezone.now() + timedelta(days=1))
    response = client_for(club_organiser).get(_url(later))
    assert response.status_code == 200
    assert response.context["started"] is False
    assert client_for(club_organiser).post(_url(later), {"total": "3"}).status_code == 200
    assert not Headcount.objects.filter(occurrence=later).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        ("resident", 403),
        ("board_member", 403),
        ("caretaker", 403),
        ("outsider", 404),
        ("neighbour", 404),
        ("no_role", 404),
    ],
)
def test_headcount_page_persona(
    client_for: Callable[..., Any],
    personas: dict[str, User],
    yesterday: Any,
    persona: str,
    status: int,
) -> None:
    client = client_for(personas[persona])
    assert client.get(_url(yesterday)).status_code == status
    client.post(_url(yesterday), {"total": "5"})
    assert Headcount.objects.filter(occurrence=yesterday).exists() == (status == 200)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("club", 200), ("coordinator", 200), ("resident", 403), ("outsider", 404)],
)
def test_headcount_api(
    api_for: Callable[..., Any],
    personas: dict[str, User],
    club_organiser: User,
    yesterday: Any,
    persona: str,
    status: int,
) -> None:
    user = club_organiser if persona == "club" else personas[persona]
    url = f"/api/v1/activities/occurrences/{yesterday.pk}/headcount"
    response = api_for(user).post(url, {"total": 6, "new_faces": 2})
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["total"] == 6
        invalid = api_for(user).post(url, {"total": 6, "children": 4, "adults": 4})
        assert invalid.status_code == 400
    assert api_for(None).post(url, {"total": 6}).status_code == 401
