"""Demo data of the decision tool: a saved plan for each demo department (A1, A2, B1) on its
survey evidence (the survey demo's closed round ``eksempel-2024``) and the booking system's
free fælleshus hours. Idempotent: an existing demo plan on survey evidence is kept, one made
on example data by an earlier version is replaced.
"""

from __future__ import annotations

from django.utils import translation

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Role

from . import services
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
            if existing is not None and existing.evidence_kind == "survey":
                continue
            if existing is not None:
                existing.delete()
            plan = services.plan_create(
                actor=coordinator,
                department=department,
                request=PlanRequest(budget_dkk=budget, seed=7),
                title=title,
            )
            ctx.say(
                f"Plan: {title} for {code} on round {plan.round_slug} "
                f"(/beslutninger/planer/{plan.pk}/)"
            )
