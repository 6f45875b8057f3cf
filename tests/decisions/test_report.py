"""The PDF renders and its text contains the summary figures; the CLI works."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from lokalsamfund.core import formatting
from lokalsamfund.core.models import Department
from lokalsamfund.decisions.planning import PlanRequest, compute_plan
from lokalsamfund.decisions.rendering import render_report_pdf

from .conftest import make_evidence

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_pdf_contains_the_summary_figures(
    dept_a: Department, evidence_for: Callable[..., Any], tmp_path: Path
) -> None:
    evidence_for(A1=make_evidence("A1"))
    with translation.override("da"):
        data = compute_plan(
            department=dept_a, request=PlanRequest(budget_dkk=90_000, draws=1000), language="da"
        ).data
        pdf = render_report_pdf(data)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    first_page = text.split("\f")[0]
    social = formatting.number(data["totals"]["social_value_dkk"]["p50"], round_to=1000)
    helped = formatting.number(data["totals"]["people_helped"]["p50"])
    assert social in first_page
    assert helped in first_page
    assert "A1" in first_page
    assert "Sammendrag" in first_page
    assert "Forbehold" in text


def test_cli_json_is_reproducible_and_errors_exit_non_zero(
    dept_a: Department, evidence_for: Callable[..., Any], tmp_path: Path
) -> None:
    evidence_for(A1=make_evidence("A1"))
    outputs = []
    for _ in range(2):
        target = tmp_path / f"plan{len(outputs)}.json"
        call_command(
            "plan",
            department="A1",
            budget=50_000,
            seed=5,
            draws=500,
            format="json",
            output=str(target),
            stderr=io.StringIO(),
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"department": "A1"' in outputs[0]
    with pytest.raises(CommandError, match="--department"):
        call_command("plan", department="NOPE", budget=1, format="json")
    with pytest.raises(CommandError, match="budget_dkk"):
        call_command("plan", department="A1", budget=-5, format="json")


def test_cli_pdf_and_html(
    dept_a: Department, evidence_for: Callable[..., Any], tmp_path: Path
) -> None:
    evidence_for(A1=make_evidence("A1"))
    pdf = tmp_path / "r.pdf"
    html = tmp_path / "r.html"
    call_command(
        "plan",
        department="A1",
        budget=50_000,
        draws=500,
        format="pdf",
        output=str(pdf),
        stderr=io.StringIO(),
    )
    call_command(
        "plan",
        department="A1",
        budget=50_000,
        draws=500,
        format="html",
        output=str(html),
        stderr=io.StringIO(),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "<svg" in html.read_text(encoding="utf-8")


def _boxes(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def test_pdf_first_page_names_organisation_department_date_and_the_uk_transfer(
    dept_a: Department, evidence_for: Callable[..., Any], tmp_path: Path
) -> None:
    from weasyprint import HTML

    from lokalsamfund.decisions.rendering import render_report_document

    evidence_for(A1=make_evidence("A1"))
    made_on = timezone.localdate()
    with translation.override("da"):
        data = compute_plan(
            department=dept_a, request=PlanRequest(budget_dkk=150_000, draws=500), language="da"
        ).data
        organisation = dept_a.organisation.name
        pdf = render_report_pdf(data, organisation=organisation, made_on=made_on)
        document = HTML(
            string=render_report_document(data, organisation=organisation, made_on=made_on)
        ).render()
    first_page = " ".join(_pdf_text(pdf, tmp_path).split("\f")[0].split())
    assert organisation in first_page
    assert f"Afdeling A1 {dept_a.name}" in first_page
    assert formatting.long_date(made_on, "da") in first_page
    # the social value rests mainly on the UK figure: said next to it, on page 1
    uk = next(a for a in data["assumptions"] if a["key"] == "societal_value_per_person_gbp")
    assert f"{formatting.number(uk['value'])} pund om året" in first_page
    # no box (table, column, cell, line of text) reaches beyond the page's content area
    for page in document.pages:
        root = page._page_box
        right = root.content_box_x() + root.width
        over = [
            (type(b).__name__, getattr(b, "element_tag", ""))
            for b in _boxes(root)
            if b is not root and b.position_x + b.margin_width() > right + 0.5
        ]
        assert over == [], f"page {page} has boxes beyond its right edge"
    sources = [line for line in _pdf_text(pdf, tmp_path).splitlines() if "Kilde" in line]
    assert sources
