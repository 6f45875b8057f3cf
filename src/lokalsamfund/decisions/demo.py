"""Demo data of the decision tool: a saved plan for each demo department (A1, A2, B1).

Uses the department's real survey evidence when the survey demo provides it; otherwise
clearly labelled example data. A demo plan made on example data is replaced once real
evidence exists. Idempotent.
"""

from __future__ import annotations

from django.utils import translation

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Role

from . import evidence_source, services
from .catalogue import seed_shipped
from .models import Plan
from .planning import PlanRequest

DEMO_BUDGETS = {"A1": 150_000.0, "A2": 100_000.0, "B1": 60_000.0}
DEMO_TITLE = "Demoplan {code}"


def load(ctx: DemoContext) -> None:
    seed_shipped(update=True)
    coordinator = ctx.users[Role.COORDINATOR.value]
    with translation.override("da"):
        for code, budget in DEMO_BUDGETS.items():
            department = ctx.departments[code]
            title = DEMO_TITLE.format(code=code)
            existing = Plan.objects.filter(department=department, title=title).first()
            has_survey = evidence_source.survey_evidence(department=department).evidence is not None
            if existing is not None and (existing.evidence_kind == "survey" or not has_survey):
                continue
            if existing is not None:
                existing.delete()
            plan = services.plan_create(
                actor=coordinator,
                department=department,
                request=PlanRequest(budget_dkk=budget, seed=7, allow_example=True),
                title=title,
            )
            label = "survey" if plan.evidence_kind == "survey" else "EXAMPLE DATA (no survey yet)"
            ctx.say(f"Plan: {title} for {code}, {label} (/beslutninger/planer/{plan.pk}/)")
