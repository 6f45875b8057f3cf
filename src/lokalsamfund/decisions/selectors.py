"""Reads of the decision tool, scoped through the permission module."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Perm
from lokalsamfund.surveys.models import RoundStatus, SurveyRound

from . import evidence_source
from .followup import LonelinessFollowUp, loneliness_followup, reach_comparison, realised_reach_for
from .models import Plan


def plans_for(user: User | AnonymousUser) -> QuerySet[Plan]:
    """Saved plans of the departments on which the user has VIEW_PLANS."""
    departments = permissions.departments_for(user, Perm.VIEW_PLANS)
    return Plan.objects.filter(department__in=departments).select_related(
        "department", "organisation", "created_by"
    )


def closed_rounds_for(departments: QuerySet[Department]) -> QuerySet[SurveyRound]:
    """Closed survey rounds covering any of ``departments`` (newest first), for choosing the
    evidence of a plan."""
    return (
        SurveyRound.objects.filter(status=RoundStatus.CLOSED, departments__in=departments)
        .distinct()
        .order_by("-closed_at", "slug")
    )


def plan_get(user: User | AnonymousUser, plan_id: int) -> Plan:
    """A plan the user may see; NotFound otherwise (also for other organisations' plans)."""
    plan = plans_for(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("Plan not found.")
    return plan


def plan_data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(plan.result_json)
    return data


def plan_followup(plan: Plan) -> dict[str, Any]:
    """Planned versus realised for a saved plan (what can be said today)."""
    data = plan_data(plan)
    loneliness: LonelinessFollowUp | None = None
    if plan.evidence_kind == "survey":
        try:
            later = evidence_source.survey_evidence(department=plan.department)
        except DomainError:
            later = None  # no closed round with shown results (yet)
        if later is not None:
            loneliness = loneliness_followup(plan_data=data, later=later)
    realised = realised_reach_for(department=plan.department)
    return {
        "loneliness": loneliness,
        "reach": reach_comparison(plan_data=data, realised=realised),
        "has_realised": bool(realised),
        "example": plan.evidence_kind == "example",
    }
