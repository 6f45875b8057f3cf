"""Importing a file of responses (CSV or XLSX, ``importing.py``): all rows or none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict
from lokalsamfund.core.permissions import Perm

from .. import importing
from ..models import Channel, SurveyComment, SurveyResponse, SurveyRound
from .responses import MAX_COMMENT_LENGTH, today

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor


def responses_import(
    *,
    actor: Actor,
    survey_round: SurveyRound,
    data: bytes | IO[bytes],
    filename: str,
    ignore: Iterable[str] = (),
) -> int:
    """Import a whole file of responses (see importing.py) or nothing: raises
    ``importing.ImportRejected`` with every problem. Returns the number imported."""
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    if not survey_round.is_open:
        raise Conflict(_("Responses can be imported only while the round is open."))
    departments = {d.code: d for d in survey_round.departments.all()}
    extra_items = {
        item.code: list(item.options.values_list("value", flat=True))
        for item in survey_round.extra_items.all()
    }
    rows = importing.parse_import(
        data, filename, departments=list(departments), extra_items=extra_items, ignore=ignore
    )
    day = today()
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(
            (
                SurveyResponse(
                    round=survey_round,
                    department=departments[row.department],
                    channel=Channel.IMPORT,
                    submitted_on=day,
                    extra=row.extra,
                    **row.answers,
                )
                for row in rows
            ),
            batch_size=1000,
        )
        SurveyComment.objects.bulk_create(
            SurveyComment(
                round=survey_round,
                department=departments[row.department],
                text=row.comment[:MAX_COMMENT_LENGTH],
            )
            for row in rows
            if row.comment.strip()
        )
        log_action(
            actor=actor,
            action="survey.responses_imported",
            organisation=survey_round.organisation,
            obj=survey_round,
            data={"rows": len(rows), "file": filename[:100]},
        )
    return len(rows)
