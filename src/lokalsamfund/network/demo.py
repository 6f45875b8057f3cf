"""Demo data of the network: three more demo organisations (the pool rule needs at least three
organisations besides the asking one) that each share a closed round of synthetic responses, and
the demo organisation's own closed round shared too, so the demo department A1 sees
"departments like yours" and the others see the demo organisation in theirs. Idempotent.

Their figures are synthetic (``surveys.synthetic``), like the demo organisation's own.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from lokalsamfund.activities.models import Activity, ActivityStatus, Occurrence
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.activities.services.participation import headcount_record
from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import frames, synthetic
from lokalsamfund.surveys import services as survey_services
from lokalsamfund.surveys.demo import CLOSED_SLUG
from lokalsamfund.surveys.models import Channel, SurveyRound

from . import services, shared_reach
from .models import DepartmentProfile, Idea, IdeaOrigin, SharedRound

# slug, name, CVR, region, departments: (code, name, homes, respondents)
DEMO_NETWORK = [
    (
        "eksempel-nord",
        "Boligforeningen Nordeksempel",
        "12345679",
        "nordjylland",
        [("N1", "Fjordparken", 210, 70), ("N2", "Lyngbakken", 150, 50)],
    ),
    (
        "eksempel-ost",
        "Østeksempel Bolig",
        "12345680",
        "hovedstaden",
        [("O1", "Søtoften", 260, 80), ("O2", "Kildevang", 120, 45)],
    ),
    (
        "eksempel-vest",
        "Vesteksempel Boligselskab",
        "12345681",
        "midtjylland",
        [("V1", "Hedegården", 180, 60), ("V2", "Åbrinken", 280, 55)],
    ),
]


def _organisation_round(
    slug: str, name: str, cvr: str, region: str, rows: list[tuple[str, str, int, int]], seed: int
) -> SurveyRound:
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "cvr": cvr}
    )
    departments = []
    for code, title, homes, _n in rows:
        department, _ = Department.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={"name": title, "homes": homes, "adult_residents": int(homes * 1.7)},
        )
        DepartmentProfile.objects.get_or_create(
            department=department, defaults={"kind": "family", "region": region}
        )
        departments.append(department)
    round_slug = f"{slug}-2024"
    existing = SurveyRound.objects.filter(slug=round_slug).first()
    if existing is not None:
        return existing
    survey_round = survey_services.round_create(
        actor=SYSTEM,
        organisation=organisation,
        slug=round_slug,
        title="Fællesskabsmålingen 2024",
        departments=departments,
        opens_on=dt.date(2024, 9, 1),
        closes_on=dt.date(2024, 9, 30),
        open_now=True,
    )
    sizes = [n for *_rest, n in rows]
    frame = synthetic.responses(
        sum(sizes), departments=[r[0] for r in rows], sizes=sizes, seed=seed
    )
    frames.responses_insert(
        round_id=survey_round.pk,
        frame=frame,
        department_ids={d.code: d.pk for d in departments},
        channel=Channel.LINK,
        submitted_on=dt.date(2024, 9, 15),
    )
    survey_services.round_close(actor=SYSTEM, survey_round=survey_round)
    SurveyRound.objects.filter(pk=survey_round.pk).update(
        closed_at=dt.datetime(2024, 10, 1, 12, 0, tzinfo=dt.UTC)
    )
    survey_round.refresh_from_db()
    return survey_round


# A weekly fællesspisning in both departments of each of the three organisations: six
# departments of three organisations, so the demo organisation's catalogue shows a local
# evidence line for the type. Figures per dinner: around ``PER_DINNER``, seeded.
DEMO_DINNER_TYPE = "faellesspisning"
PER_DINNER = {"eksempel-nord": 28, "eksempel-ost": 22, "eksempel-vest": 25}


def _dinners(organisation: Organisation, now: dt.datetime) -> None:
    """A year of weekly dinners with headcounts (idempotent: one activity per organisation,
    a date that has a headcount keeps it)."""
    title = "Fællesspisning i fælleshuset"
    activity = Activity.objects.filter(organisation=organisation, title=title).first()
    if activity is None:
        first_day = (now - dt.timedelta(days=364)).astimezone(ZONE).date()
        first = dt.datetime.combine(first_day, dt.time(17, 30), ZONE)
        activity = Activity.objects.create(
            organisation=organisation,
            activity_type=DEMO_DINNER_TYPE,
            title=title,
            starts_at=first,
            duration_minutes=120,
            status=ActivityStatus.PUBLISHED,
            visibility="departments",
            target_group="everyone",
        )
        activity.departments.set(Department.objects.filter(organisation=organisation))
    first_day = activity.starts_at.astimezone(ZONE).date()
    expected = PER_DINNER.get(organisation.slug, 20)
    for week in range(520):
        day = first_day + dt.timedelta(days=7 * week)
        starts = dt.datetime.combine(day, dt.time(17, 30), ZONE)
        if starts + dt.timedelta(hours=2) > now:
            break
        occurrence, _created = Occurrence.objects.get_or_create(
            activity=activity,
            recurrence_id=starts,
            defaults={"starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)},
        )
        if hasattr(occurrence, "headcount"):
            continue
        rng = random.Random(f"{organisation.slug}|{day.isoformat()}")  # noqa: S311 - demo figures
        headcount_record(
            actor=SYSTEM,
            occurrence=occurrence,
            total=max(6, round(rng.gauss(expected, expected * 0.2))),
            now=now,
        )


# organisation slug, title, problem, tried, activity type, kind, cost, reach, results, contact
DEMO_IDEA_DEPARTMENT = "N1"  # where the fællesspisning idea came from
DEMO_IDEAS = [
    (
        "eksempel-nord",
        "Fællesspisning med madklub",
        "Mange ældre beboere spiser alene.",
        "Beboere laver mad på skift til 30 hver anden torsdag i fælleshuset.",
        "faellesspisning",
        "family",
        15000,
        "25-35 pr. gang",
        "Flere nye ansigter; to nye frivillige madhold.",
        "Boligsocial koordinator, Nordeksempel",
    ),
    (
        "eksempel-ost",
        "Gåture med nabohund",
        "Beboere i stueetagen ser sjældent naboer.",
        "Faste gåture to gange om ugen med start ved legepladsen.",
        "",
        "senior",
        0,
        "8-12 pr. gang",
        "Deltagerne kender nu flere naboer ved navn.",
        "Afdelingsbestyrelsen, Søtoften",
    ),
]


def load(ctx: DemoContext, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    for i, (slug, name, cvr, region, rows) in enumerate(DEMO_NETWORK):
        survey_round = _organisation_round(slug, name, cvr, region, rows, seed=40 + i)
        if not SharedRound.objects.filter(survey_round=survey_round).exists():
            services.round_share(actor=SYSTEM, survey_round=survey_round)
        _dinners(survey_round.organisation, now)
        shared_reach.reach_share(actor=SYSTEM, organisation=survey_round.organisation, now=now)
    for department in ctx.departments.values():
        DepartmentProfile.objects.get_or_create(
            department=department, defaults={"kind": "family", "region": "syddanmark"}
        )
    own = SurveyRound.objects.filter(slug=CLOSED_SLUG, organisation=ctx.organisation).first()
    if own is not None and not SharedRound.objects.filter(survey_round=own).exists():
        services.round_share(actor=ctx.users["coordinator"], survey_round=own)
    shared_reach.reach_share(actor=ctx.users["coordinator"], organisation=ctx.organisation, now=now)
    for slug, title, problem, tried, kind_of, housing, cost, reach, results, contact in DEMO_IDEAS:
        organisation = Organisation.objects.get(slug=slug)
        idea, _created = Idea.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "problem": problem,
                "tried": tried,
                "activity_type": kind_of,
                "department_kind": housing,
                "cost_dkk": cost,
                "reach": reach,
                "results": results,
                "contact": contact,
            },
        )
        if kind_of == DEMO_DINNER_TYPE:
            origin = Department.objects.get(organisation=organisation, code=DEMO_IDEA_DEPARTMENT)
            IdeaOrigin.objects.get_or_create(idea=idea, defaults={"department": origin})
    ctx.say(
        f"Network: {len(DEMO_NETWORK)} more demo organisations share a round; "
        f"'{CLOSED_SLUG}' is shared too; they share a year of fællesspisning headcounts "
        "(local evidence in /beslutninger/katalog/)."
    )
    from . import demo_groups

    demo_groups.load(ctx)
