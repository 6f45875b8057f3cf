"""The same figure everywhere, without false precision (core.formatting), and every unit,
source and note in the page's language (issue 10 points 3 and 5)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from lokalsamfund.core import formatting
from lokalsamfund.core.models import Department, User
from lokalsamfund.decisions import services
from lokalsamfund.decisions.planning import PlanRequest, compute_plan
from lokalsamfund.decisions.rendering import render_report_fragment
from lokalsamfund.decisions.shipped_text import SHIPPED_TEXTS

from .conftest import make_evidence

pytestmark = pytest.mark.django_db

DECISIONS = Path(__file__).resolve().parents[2] / "src" / "lokalsamfund" / "decisions"
PARAMETERS = json.loads((DECISIONS / "data" / "parameters.json").read_text(encoding="utf-8"))
ACTIVITIES = json.loads((DECISIONS / "data" / "activities.json").read_text(encoding="utf-8"))


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_one_rounding_for_the_same_figure_in_the_report_and_the_follow_up(
    client_for: Callable[..., Any],
    coordinator: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    """A median of 62.5 participants read 62 in the activities table (Python's round, half to
    even) and 63 in the follow-up (floatformat, half up): the same quantity, two roundings."""
    evidence_for(A1=make_evidence("A1"))
    plan = services.plan_create(
        actor=coordinator, department=dept_a, request=PlanRequest(budget_dkk=90_000, draws=300)
    )
    data = json.loads(plan.result_json)
    participants = data["portfolio"][0]["participants"]
    participants["p50"] = 62.5  # a median that lies on a half, as in the demo's plan
    plan.result_json = json.dumps(data)
    plan.save()
    body = _text(client_for(coordinator).get(f"/beslutninger/planer/{plan.pk}/").content.decode())
    written = (
        f"{formatting.number(62.5)} "
        f"({formatting.interval(participants['p5'], participants['p95'])})"
    )
    assert body.count(written) == 2


def test_values_in_round_thousands_people_whole_and_sroi_with_one_decimal(
    dept_a: Department, evidence_for: Callable[..., Any]
) -> None:
    evidence_for(A1=make_evidence("A1"))
    with translation.override("da"):
        data = compute_plan(
            department=dept_a, request=PlanRequest(budget_dkk=90_000, draws=500), language="da"
        ).data
        page = _text(render_report_fragment(data))
    totals = data["totals"]
    social = totals["social_value_dkk"]["p50"]
    assert formatting.number(social, round_to=1000) in page
    assert formatting.number(social) not in page or social % 1000 == 0
    helped = totals["people_helped"]["p50"]
    assert formatting.number(helped) in page
    if not float(helped).is_integer():
        assert formatting.number(helped, 1) not in page
    assert formatting.number(totals["sroi"]["p50"], 1) in page


def test_decisions_write_figures_only_through_core_formatting() -> None:
    users = [
        path.relative_to(DECISIONS)
        for path in [*DECISIONS.glob("*.py"), *DECISIONS.glob("templates/decisions/*.html")]
        if re.search(r"floatformat|number_format|widthratio", path.read_text(encoding="utf-8"))
    ]
    assert users == []


def test_every_shipped_source_and_note_is_listed_and_translated() -> None:
    shipped = {p[k] for p in PARAMETERS["parameters"] for k in ("source", "note") if p[k]} | {
        a[k] for a in ACTIVITIES["activities"] for k in ("source", "estimate_note") if a[k]
    }
    assert shipped <= set(SHIPPED_TEXTS)
    with translation.override("da"):
        untranslated = {
            t for t in shipped if translation.gettext(t) == t and not t.startswith("Sygdomsbyrden")
        }
    assert untranslated == set()


@pytest.mark.parametrize("language", ["da", "en"])
def test_units_sources_and_notes_are_in_the_page_language(
    dept_a: Department, evidence_for: Callable[..., Any], language: str
) -> None:
    evidence_for(A1=make_evidence("A1"))
    with translation.override(language):
        data = compute_plan(
            department=dept_a, request=PlanRequest(budget_dkk=90_000, draws=300), language=language
        ).data
        page = _text(render_report_fragment(data))
    with translation.override("da"):
        danish = {t: translation.gettext(t) for t in SHIPPED_TEXTS}
    units = {p["unit"] for p in PARAMETERS["parameters"]}
    if language == "en":
        # No Danish unit, source or note on the English page.
        assert "kr. pr." not in page
        assert "om året" not in page
        assert not [d for t, d in danish.items() if d != t and d in page]
    else:
        # No English note or source (nor a unit code such as DKK/person/year) on the Danish one.
        assert not [t for t, d in danish.items() if d != t and t in page]
        assert not [u for u in units if "/" in u and u in page]
        assert "kr. pr. person om året" in page
