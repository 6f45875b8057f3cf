"""Reads of the decision tool, scoped through the permission module."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, Forbidden, NotFound
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Perm
from lokalsamfund.surveys.models import RoundStatus, SurveyRound

from . import evidence_source
from .catalogue import catalogue_for
from .evidence_source import LocalEvidence
from .followup import (
    LonelinessFollowUp,
    driften_comparison,
    loneliness_followup,
    reach_comparison,
    realised_driften_for,
    realised_reach_for,
)
from .models import ActivityType, Plan, ValueBankEntry


def plans_for(user: User | AnonymousUser) -> QuerySet[Plan]:
    """Saved plans of the departments on which the user has VIEW_PLANS."""
    departments = permissions.departments_for(user, Perm.VIEW_PLANS)
    return Plan.objects.filter(department__in=departments).select_related(
        "department", "organisation", "created_by"
    )


def department_for_plan(
    user: User | AnonymousUser, *, code: str, organisation: str | None = None, save: bool
) -> Department:
    """The department ``code`` (of ``organisation``, a slug, when given) for a plan by ``user``.

    NotFound when the user cannot see such a department at all (another organisation's
    departments are not revealed); Forbidden when they may see it but not its plans, or want
    to save without the right to manage its plans (a board member tries scenarios only);
    DomainError when the code is ambiguous across the user's organisations."""
    departments = permissions.departments_for(user, Perm.VIEW_ORGANISATION).filter(code=code)
    if organisation:
        departments = departments.filter(organisation__slug=organisation)
    found = list(departments.select_related("organisation")[:2])
    if not found:
        raise NotFound(
            _("department: no department '%(code)s' is visible to you.") % {"code": code},
            details={"field": "department"},
        )
    if len(found) > 1:
        raise DomainError(
            _(
                "department: '%(code)s' is in more than one of your organisations; give "
                "organisation."
            )
            % {"code": code},
            details={"field": "organisation"},
        )
    department = found[0]
    if not permissions.has_perm(user, Perm.VIEW_PLANS, department):
        raise Forbidden(
            _("department: you may not make plans for '%(code)s'.") % {"code": code},
            details={"field": "department"},
        )
    if save and not permissions.has_perm(user, Perm.MANAGE_PLANS, department):
        raise Forbidden(
            _(
                "save: you may try plans for '%(code)s' but not save them; only whoever "
                "manages its plans (a coordinator) saves. Send save: false to compute only."
            )
            % {"code": code},
            details={"field": "save"},
        )
    return department


def value_bank_for(organisation: Organisation) -> QuerySet[ValueBankEntry]:
    """The organisation's own value bank (never another organisation's)."""
    return ValueBankEntry.objects.filter(organisation=organisation)


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
    sessions = {
        a.slug: (a.sessions_per_year, a.participants_per_session)
        for a in catalogue_for(plan.department.organisation, include_inactive=True)
    }
    return {
        "loneliness": loneliness,
        "reach": reach_comparison(plan_data=data, realised=realised, sessions=sessions),
        "has_realised": bool(realised),
        "driften": driften_comparison(
            plan_data=data, realised=realised_driften_for(department=plan.department)
        ),
        "example": plan.evidence_kind == "example",
    }


def catalogue_local_evidence(
    organisation: Organisation, rows: list[ActivityType]
) -> dict[str, LocalEvidence]:
    """The network's local evidence for each activity type of the organisation's catalogue."""
    return evidence_source.local_evidence(
        organisation=organisation, activity_types=[a.slug for a in rows]
    )


def catalogue_organisation(user: User | AnonymousUser, slug: str | None) -> Organisation:
    """The organisation whose catalogue ``user`` may read (``decisions.manage_plans``, as the
    catalogue page): the one named, or the user's only one. An organisation the user has no
    role in is 404 (its existence is not told); one where the user may not plan is 403."""
    visible = permissions.organisations_for(user)
    if slug:
        found = visible.filter(slug=slug).first()
    else:
        candidates = list(visible[:2])
        found = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1:
            raise DomainError(_("Give the organisation's short name."))
    if found is None:
        raise NotFound(_("No such organisation."))
    permissions.require(user, Perm.MANAGE_PLANS, found)
    return found


def catalogue_data(organisation: Organisation, language: str) -> list[dict[str, Any]]:
    """The organisation's catalogue with, per activity type, its research evidence (class and
    source) and, next to it and labelled as such, the network's local evidence."""
    from . import labels

    rows = catalogue_for(organisation)
    local = catalogue_local_evidence(organisation, rows)
    return [
        {
            "slug": a.slug,
            "name": a.name(language),
            "research_evidence": {
                "class": a.evidence_class,
                "label": str(a.get_evidence_class_display()),
                "source": labels.shipped_text(a.source),
            },
            "participants": {
                "value": a.participants,
                "low": a.participants_low,
                "high": a.participants_high,
            },
            "sessions_per_year": a.sessions_per_year,
            "participants_per_session": a.participants_per_session,
            "local_evidence": {
                **local[a.slug].as_dict(),
                "source": (
                    _("%(orgs)s organisations in the network")
                    % {"orgs": local[a.slug].organisations}
                    if local[a.slug].shown
                    else None
                ),
                "text": labels.local_lines(local[a.slug]),
            },
        }
        for a in rows
    ]
