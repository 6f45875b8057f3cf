"""Trying to recover a suppressed cell by differencing, through every surface: the results
pages, the API, the CLI (JSON and CSV) and the XLSX export; and who sees what."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import analysis, export, services
from lokalsamfund.surveys.models import SurveyComment, SurveyRound

K = 5
SECRET_COMMENT = "Min nabo i nummer 7 drikker"
Record = tuple[str | None, str | None, str | None, int | None, dict[str, int | None]]


@pytest.fixture
def closed_round(
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    make_department: Callable[..., Department],
) -> SurveyRound:
    small = make_department(org, "C1")
    survey_round = make_closed_round(
        org, [dept_a, dept_b, small], {"A1": 60, "B1": 23, "C1": 3}, slug="maaling", seed=7
    )
    SurveyComment.objects.create(round=survey_round, department=dept_a, text=SECRET_COMMENT)
    return survey_round


def _attack(records: list[Record], *, with_denominators: bool = True) -> None:
    """Every differencing of a total and its shown parts leaves 0 or at least k hidden."""
    organisation = [r for r in records if r[0] is None]
    departments = [r for r in records if r[0] is not None and r[1] is None]
    cells = [r for r in records if r[1] is not None]
    assert departments, "the surface showed no departments"
    names = analysis.indicator_names() if with_denominators else []

    def check(total: int | None, parts: list[int | None]) -> None:
        if total is None:
            return
        hidden = total - sum(p for p in parts if p is not None)
        assert hidden == 0 or hidden >= K, f"recovered {hidden} by differencing"

    for org in organisation:
        check(org[3], [d[3] for d in departments])
        for name in names:
            check(org[4].get(name), [d[4].get(name) for d in departments])
    for department in departments:
        for breakdown in {c[1] for c in cells if c[0] == department[0]}:
            part = [c for c in cells if c[0] == department[0] and c[1] == breakdown]
            check(department[3], [c[3] for c in part])
            for name in names:
                check(department[4].get(name), [c[4].get(name) for c in part])
    # The small department's own figures are nowhere.
    c1 = [r for r in records if r[0] == "C1"]
    assert all(r[3] is None for r in c1)
    assert not [r for r in cells if r[0] == "C1"]


def _records_from_contract(data: dict[str, Any]) -> list[Record]:
    return [
        (
            g["department"],
            g["breakdown"],
            g["cell"],
            g["n"],
            {k: v.get("denominator") for k, v in g["indicators"].items()},
        )
        for g in data["groups"]
    ]


def _records_from_rows(header: list[str], rows: list[list[Any]]) -> list[Record]:
    found = []
    for row in rows:
        values = dict(zip(header, row, strict=True))
        number = lambda v: None if v in ("", None) else int(v)  # noqa: E731
        found.append(
            (
                values["department"] or None,
                values["breakdown"] or None,
                values["cell"] or None,
                number(values["n"]),
                {n: number(values[f"{n}_denominator"]) for n in analysis.indicator_names()},
            )
        )
    return found


def test_api(closed_round: SurveyRound, coordinator: User, api_for: Callable) -> None:
    response = api_for(coordinator).get("/api/v1/survey-rounds/maaling/results")
    assert response.status_code == 200
    data = response.json()
    assert data["round"] == "maaling"
    assert data["min_cell_size"] == K
    _attack(_records_from_contract(data))
    assert SECRET_COMMENT not in response.content.decode()


def test_cli_json_and_csv(closed_round: SurveyRound) -> None:
    out = io.StringIO()
    call_command("survey", "results", "--round", "maaling", "--format", "json", stdout=out)
    _attack(_records_from_contract(json.loads(out.getvalue())))
    assert SECRET_COMMENT not in out.getvalue()
    out = io.StringIO()
    call_command("survey", "results", "--round", "maaling", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    _attack(_records_from_rows(rows[0], rows[1:]))
    assert SECRET_COMMENT not in out.getvalue()


def test_xlsx_export(closed_round: SurveyRound, coordinator: User, client_for: Callable) -> None:
    response = client_for(coordinator).get("/undersoegelser/maaling/resultater.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in workbook["Resultater"].iter_rows(values_only=True)]
    header = export.header()  # the sheet's columns are the contract's, in order, translated
    assert len(rows[0]) == len(header)
    _attack(_records_from_rows(header, [r + [None] * (len(header) - len(r)) for r in rows[1:]]))
    assert SECRET_COMMENT.encode() not in response.content


class _Rows(HTMLParser):
    """The rows of results tables as the page shows them (its data attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[Record] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-n" in found:
            self.records.append(
                (
                    found.get("data-department") or None,
                    found.get("data-breakdown") or None,
                    found.get("data-cell") or None,
                    int(found["data-n"]) if found["data-n"] else None,
                    {},
                )
            )


def test_pages(closed_round: SurveyRound, coordinator: User, client_for: Callable) -> None:
    client = client_for(coordinator)
    parser = _Rows()
    page = client.get("/undersoegelser/maaling/resultater/").content.decode()
    parser.feed(page)
    for code in ("A1", "B1"):
        department_page = client.get(f"/undersoegelser/maaling/resultater/{code}/")
        assert department_page.status_code == 200
        parser.feed(department_page.content.decode())
    unique = {r[:4]: r for r in parser.records}  # a department's row shows on two pages
    records = list(unique.values())
    _attack(records, with_denominators=False)
    c1 = client.get("/undersoegelser/maaling/resultater/C1/").content.decode()
    assert not re.search(r'data-n="\d', c1.split("<main", 1)[1])
    assert SECRET_COMMENT not in page


def test_who_sees_what(
    closed_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable,
    api_for: Callable,
) -> None:
    # Board member of A1: A1 only, without the organisation's total.
    data = api_for(personas["board_member"]).get("/api/v1/survey-rounds/maaling/results").json()
    assert {g["department"] for g in data["groups"]} == {"A1"}
    board = client_for(personas["board_member"])
    assert board.get("/undersoegelser/maaling/resultater/A1/").status_code == 200
    assert board.get("/undersoegelser/maaling/resultater/B1/").status_code == 403
    assert board.get("/undersoegelser/maaling/kommentarer/").status_code == 403
    # Free text: coordinators only.
    page = client_for(personas["coordinator"]).get("/undersoegelser/maaling/kommentarer/")
    assert SECRET_COMMENT in page.content.decode()
    for name in ("admin", "caretaker", "board_member", "resident", "outsider"):
        assert client_for(personas[name]).get(
            "/undersoegelser/maaling/kommentarer/"
        ).status_code in (403, 404, 302)
    # Residents, outsiders: no results; the outsider does not even see the round.
    for name in ("resident", "neighbour", "caretaker"):
        response = api_for(personas[name]).get("/api/v1/survey-rounds/maaling/results")
        assert response.status_code in (403, 404), name
    assert (
        api_for(personas["outsider"]).get("/api/v1/survey-rounds/maaling/results").status_code
        == 404
    )
    assert api_for(None).get("/api/v1/survey-rounds/maaling/results").status_code == 401
    # The residents' summary only once published.
    resident = client_for(personas["resident"])
    assert resident.get("/undersoegelser/maaling/opsummering/A1/").status_code == 404
    services.round_publish_summary(actor=SYSTEM, survey_round=closed_round, published=True)
    summary = resident.get("/undersoegelser/maaling/opsummering/A1/")
    assert summary.status_code == 200
    assert resident.get("/undersoegelser/maaling/opsummering/B1/").status_code == 403


def test_no_results_before_close(
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., Any],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    api_for: Callable,
    client_for: Callable,
) -> None:
    survey_round = make_round(org, [dept_a], slug="aaben")
    add_responses(survey_round, {"A1": 30})
    assert api_for(coordinator).get("/api/v1/survey-rounds/aaben/results").status_code == 404
    page = client_for(coordinator).get("/undersoegelser/aaben/resultater/")
    assert "data-n" not in page.content.decode()
    with pytest.raises(Exception, match="closed"):
        call_command("survey", "results", "--round", "aaben")


def test_closing_a_round_without_responses(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> None:
    survey_round = make_round(org, [dept_a], slug="tom")
    results = services.round_close(actor=SYSTEM, survey_round=survey_round)
    assert results.respondents == 0
