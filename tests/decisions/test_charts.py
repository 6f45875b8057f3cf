"""The charts: axis values, distinct labels that fit, readable at phone width (issue 10.5)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from PIL import ImageFont

from lokalsamfund.core.models import Department
from lokalsamfund.decisions import charts
from lokalsamfund.decisions.planning import PlanRequest, compute_plan
from lokalsamfund.decisions.rendering import report_context

from .conftest import make_evidence

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# Measured with DejaVu Sans (wider than the browsers' sans-serif), at the chart's font size.
FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", charts.FONT)


def _svg(chart: str) -> ET.Element:
    found = re.search(r"<svg.*</svg>", chart, re.S)
    assert found is not None
    return ET.fromstring(found.group(0))  # noqa: S314 - our own SVG, not untrusted input


def _labels(svg: ET.Element) -> list[list[str]]:
    """The row labels: the texts drawn right-aligned at the label column, line by line."""
    return [
        [span.text or "" for span in text.iter(f"{SVG}tspan")]
        for text in svg.iter(f"{SVG}text")
        if text.find(f"{SVG}tspan") is not None
    ]


@pytest.fixture
def context(dept_a: Department, evidence_for: Callable[..., Any]) -> dict[str, Any]:
    evidence_for(A1=make_evidence("A1"))
    with translation.override("en"):
        data = compute_plan(
            department=dept_a, request=PlanRequest(budget_dkk=150_000, draws=500), language="en"
        ).data
        return report_context(data)


def test_sensitivity_labels_are_distinct_whole_and_fit(context: dict[str, Any]) -> None:
    svg = _svg(context["charts"]["tornado"])
    labels = _labels(svg)
    inputs = [b["label"] for b in context["plan"]["sensitivity"]]
    assert len(set(inputs)) == len(inputs)  # the inputs themselves differ ...
    assert [" ".join(lines) for lines in labels] == inputs  # ... and are drawn whole
    room = charts.LABEL_W - charts.LABEL_GAP
    assert max(FONT.getlength(line) for lines in labels for line in lines) <= room
    # rows do not overlap: each label's lines lie between its neighbours'
    ys = [[float(s.get("y", 0)) for s in t.iter(f"{SVG}tspan")] for t in svg.iter(f"{SVG}text")]
    rows = [y for y in ys if y]
    for upper, lower in itertools.pairwise(rows):
        assert max(upper) + charts.LINE_H <= min(lower) + 1e-6


@pytest.mark.parametrize("name", ["share", "helped", "tornado"])
def test_every_chart_has_axis_values(context: dict[str, Any], name: str) -> None:
    svg = _svg(context["charts"][name])
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert len(ticks) >= 2
    assert len(set(ticks)) == len(ticks)


def test_long_and_similar_labels_stay_distinct() -> None:
    prefix = "Share lonely among participants: "
    names = [prefix + "Communal dinner", prefix + "Communal dinner for seniors", prefix + "Café"]
    chart = charts.tornado_chart("t", "d", [(n, 1.0, 2.0) for n in names], 1.5)
    drawn = [" ".join(lines) for lines in _labels(_svg(chart))]
    assert drawn == names


def test_phone_width_shows_the_description_instead_of_the_chart(context: dict[str, Any]) -> None:
    chart = str(context["charts"]["tornado"])
    assert '<p class="chart-text">' in chart
    css = charts.__file__.rsplit("/", 1)[0] + "/static/decisions/report.css"
    with open(css, encoding="utf-8") as handle:
        rules = handle.read()
    assert re.search(r"@media \(max-width: 32rem\)\s*\{[^}]*svg\.chart \{ display: none", rules)
