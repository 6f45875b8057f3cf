"""Figures on the survey's pages, charts and PDFs are rounded, never truncated, and the table
and the chart of a page show the same figure (core/formatting.py, docs/formatting.md)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import User
from lokalsamfund.surveys import selectors

pytestmark = pytest.mark.django_db


def _rounded_percent(value: float) -> str:
    """The share as a person rounds it on paper, written independently of the helper."""
    whole = (Decimal(repr(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{whole}\u00a0%"


def test_table_and_chart_show_the_same_rounded_share_for_the_demos_a1() -> None:
    load_demo()
    survey_round = selectors.round_by_slug("eksempel-2024")
    view = selectors.round_view(survey_round, departments={"A1"}, include_breakdowns=False)
    assert view is not None
    value = view.departments["A1"]["indicators"]["severe_loneliness_share"]["value"]
    expected = _rounded_percent(value)
    client = Client()
    client.force_login(User.objects.get(email="koordinator@eksempel.dk"))
    page = client.get("/undersoegelser/eksempel-2024/resultater/").content.decode()
    chart_values = re.findall(r'<text class="chart-value"[^>]*>([^<]*)</text>', page)
    assert expected in chart_values
    row = page[page.index('data-department="A1"') :]
    row = row[: row.index("</tr>")]
    assert expected in row, (expected, row)
