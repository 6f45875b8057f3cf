"""Responses survive the trip into the database and back unchanged (both back ends)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.surveys import frames, instrument
from lokalsamfund.surveys.models import SurveyRound


def test_round_trip(
    make_round: Callable[..., SurveyRound],
    add_responses: Callable[..., Any],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> None:
    survey_round = make_round(org, [dept_a, dept_b])
    written = add_responses(survey_round, {"A1": 150, "B1": 50}, seed=5)
    read = frames.responses_frame(survey_round.pk)
    key = ["department", *instrument.column_codes()]
    assert read.columns == ["department", "staff", *instrument.column_codes()]
    assert not read.get_column("staff").any()  # answered by link: not staff-entered
    assert written.null_count().sum_horizontal().item() > 0  # some answers are missing
    assert (
        read.select(key)
        .sort(key)
        .equals(written.select(key).cast(dict.fromkeys(key[1:], pl.Int16)).sort(key))
    )
    assert frames.responses_frame(survey_round.pk + 999).height == 0
