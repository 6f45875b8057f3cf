"""What a resident's start page shows of the survey: the open rounds of their departments,
with the department's open link when it takes answers, else the way in by letter code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import DEPARTMENT_ROLES

from ..models import RoundStatus, SurveyLink, SurveyRound

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


@dataclass(frozen=True)
class OpenRoundInvitation:
    round_title: str
    department: Department
    link_token: str | None  # None: the round is answered with the code from the letter


def open_rounds_for_resident(user: User) -> list[OpenRoundInvitation]:
    """Open rounds covering a department where ``user`` lives (a resident or board member of
    it), one entry per round and department."""
    departments = list(
        Department.objects.filter(
            memberships__user=user, memberships__role__in=DEPARTMENT_ROLES
        ).distinct()
    )
    if not departments:
        return []
    by_id = {d.pk: d for d in departments}
    rounds = (
        SurveyRound.objects.filter(
            status=RoundStatus.OPEN,
            departments__in=departments,
            organisation_id__in={d.organisation_id for d in departments},
        )
        .distinct()
        .order_by("opens_on", "pk")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.filter(pk__in=by_id)),
            Prefetch(
                "links",
                queryset=SurveyLink.objects.filter(active=True, department_id__in=by_id),
            ),
        )
    )
    found = []
    for survey_round in rounds:
        tokens = {link.department_id: link.token for link in survey_round.links.all()}
        for department in survey_round.departments.all():
            if department.organisation_id != survey_round.organisation_id:
                continue
            found.append(
                OpenRoundInvitation(
                    round_title=survey_round.title,
                    department=by_id[department.pk],
                    link_token=tokens.get(department.pk),
                )
            )
    return found
