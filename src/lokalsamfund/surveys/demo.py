"""Demo data of the survey: a closed round with a few hundred synthetic responses for A1, A2
and B1 (results stored, summary published) and an open round with an open link.

The responses come from ``synthetic.responses`` (documented there and in docs/surveys.md);
the departments differ, so the results say something. Idempotent.
"""

from __future__ import annotations

import datetime as dt

from lokalsamfund.core.demo import DemoContext

from . import frames, services, synthetic
from .models import Channel, SurveyComment, SurveyRound
from .seeding import seed_instrument

CLOSED_SLUG = "eksempel-2024"
OPEN_SLUG = "eksempel-2025"
DEMO_SIZES = {"A1": 180, "A2": 120, "B1": 64}
DEMO_COMMENTS = [
    ("A1", "Det ville være dejligt med fællesspisning om søndagen."),
    ("A2", "Der mangler bænke ved legepladsen."),
]


def load(ctx: DemoContext) -> None:
    from django.apps import apps

    seed_instrument(apps)
    departments = [ctx.departments[c] for c in DEMO_SIZES]
    coordinator = ctx.users["coordinator"]
    if not SurveyRound.objects.filter(slug=CLOSED_SLUG).exists():
        closed = services.round_create(
            actor=coordinator,
            organisation=ctx.organisation,
            slug=CLOSED_SLUG,
            title="Fællesskabsmålingen 2024",
            departments=departments,
            opens_on=dt.date(2024, 9, 1),
            closes_on=dt.date(2024, 9, 30),
            open_now=True,
        )
        frame = synthetic.responses(
            sum(DEMO_SIZES.values()),
            departments=list(DEMO_SIZES),
            sizes=list(DEMO_SIZES.values()),
            seed=2,  # organisation near the national 12 %; A1 higher, B1 lower
            department_spread=0.45,
        )
        frames.responses_insert(
            round_id=closed.pk,
            frame=frame,
            department_ids={d.code: d.pk for d in departments},
            channel=Channel.LINK,
            submitted_on=dt.date(2024, 9, 15),
        )
        SurveyComment.objects.bulk_create(
            SurveyComment(round=closed, department=ctx.departments[code], text=text)
            for code, text in DEMO_COMMENTS
        )
        services.round_close(actor=coordinator, survey_round=closed)
        SurveyRound.objects.filter(pk=closed.pk).update(
            closed_at=dt.datetime(2024, 10, 1, 12, 0, tzinfo=dt.UTC)
        )
        closed.refresh_from_db()
        services.round_publish_summary(actor=coordinator, survey_round=closed, published=True)
        ctx.say(f"Survey: closed round '{CLOSED_SLUG}' with {frame.height} synthetic responses.")
    if not SurveyRound.objects.filter(slug=OPEN_SLUG).exists():
        services.round_create(
            actor=coordinator,
            organisation=ctx.organisation,
            slug=OPEN_SLUG,
            title="Fællesskabsmålingen 2025",
            departments=departments,
            open_now=True,
        )
        ctx.say(f"Survey: open round '{OPEN_SLUG}' (open links on its page).")
