"""Survey fixtures: rounds over the shared personas' departments, synthetic responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import frames, instrument, services, synthetic
from lokalsamfund.surveys.models import Channel, SurveyRound


@pytest.fixture
def make_round(db: None) -> Callable[..., SurveyRound]:
    counter = iter(range(1, 10_000))

    def make(
        organisation: Organisation, departments: list[Department], **kwargs: Any
    ) -> SurveyRound:
        kwargs.setdefault("slug", f"runde-{next(counter)}")
        kwargs.setdefault("title", "Testrunde")
        kwargs.setdefault("open_now", True)
        return services.round_create(
            actor=SYSTEM, organisation=organisation, departments=departments, **kwargs
        )

    return make


@pytest.fixture
def add_responses() -> Callable[..., pl.DataFrame]:
    """Insert synthetic responses: ``add_responses(round, {"A1": 40, "B1": 3}, seed=1)``."""

    def add(survey_round: SurveyRound, sizes: dict[str, int], seed: int = 1) -> pl.DataFrame:
        frame = synthetic.responses(
            sum(sizes.values()), departments=list(sizes), sizes=list(sizes.values()), seed=seed
        )
        departments = {d.code: d.pk for d in survey_round.departments.all()}
        frames.responses_insert(
            round_id=survey_round.pk,
            frame=frame,
            department_ids=departments,
            channel=Channel.LINK,
            submitted_on=dt.date(2025, 3, 1),
        )
        return frame

    return add


@pytest.fixture
def make_closed_round(
    make_round: Callable[..., SurveyRound], add_responses: Callable[..., pl.DataFrame]
) -> Callable[..., SurveyRound]:
    """A closed round with synthetic responses and its stored results:
    ``make_closed_round(org, [dept_a], {"A1": 30}, slug="r", seed=1, published=True)``."""

    def make(
        organisation: Organisation,
        departments: list[Department],
        sizes: dict[str, int],
        *,
        seed: int = 1,
        published: bool = False,
        **kwargs: Any,
    ) -> SurveyRound:
        survey_round = make_round(organisation, departments, **kwargs)
        add_responses(survey_round, sizes, seed=seed)
        services.round_close(actor=SYSTEM, survey_round=survey_round)
        survey_round.refresh_from_db()
        if published:
            services.round_publish_summary(actor=SYSTEM, survey_round=survey_round, published=True)
        return survey_round

    return make


def blank_answers(**answers: int | None) -> dict[str, int | None]:
    """Every canonical column empty except those given."""
    found: dict[str, int | None] = dict.fromkeys(instrument.column_codes())
    found.update(answers)
    return found


def frame_of(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A response frame from a few hand-written rows (missing columns empty)."""
    schema = {"department": pl.String} | dict.fromkeys(instrument.column_codes(), pl.Int16)
    return pl.DataFrame(
        [
            {"department": r.get("department", "A1")}
            | blank_answers(**{k: v for k, v in r.items() if k != "department"})
            for r in rows
        ],
        schema=schema,
    )
