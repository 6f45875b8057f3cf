"""Demo data of the network: three more demo organisations (the pool rule needs at least three
organisations besides the asking one) that each share a closed round of synthetic responses, and
the demo organisation's own closed round shared too, so the demo department A1 sees
"departments like yours" and the others see the demo organisation in theirs. Idempotent.

Their figures are synthetic (``surveys.synthetic``), like the demo organisation's own.
"""

from __future__ import annotations

import datetime as dt

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import frames, synthetic
from lokalsamfund.surveys import services as survey_services
from lokalsamfund.surveys.demo import CLOSED_SLUG
from lokalsamfund.surveys.models import Channel, SurveyRound

from . import services
from .models import DepartmentProfile, Idea, SharedRound

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


# organisation slug, title, problem, tried, activity type, kind, cost, reach, results, contact
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


def load(ctx: DemoContext) -> None:
    for i, (slug, name, cvr, region, rows) in enumerate(DEMO_NETWORK):
        survey_round = _organisation_round(slug, name, cvr, region, rows, seed=40 + i)
        if not SharedRound.objects.filter(survey_round=survey_round).exists():
            services.round_share(actor=SYSTEM, survey_round=survey_round)
    for department in ctx.departments.values():
        DepartmentProfile.objects.get_or_create(
            department=department, defaults={"kind": "family", "region": "syddanmark"}
        )
    own = SurveyRound.objects.filter(slug=CLOSED_SLUG, organisation=ctx.organisation).first()
    if own is not None and not SharedRound.objects.filter(survey_round=own).exists():
        services.round_share(actor=ctx.users["coordinator"], survey_round=own)
    for slug, title, problem, tried, kind_of, housing, cost, reach, results, contact in DEMO_IDEAS:
        organisation = Organisation.objects.get(slug=slug)
        Idea.objects.get_or_create(
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
    ctx.say(
        f"Network: {len(DEMO_NETWORK)} more demo organisations share a round; "
        f"'{CLOSED_SLUG}' is shared too."
    )
    from . import demo_groups

    demo_groups.load(ctx)
