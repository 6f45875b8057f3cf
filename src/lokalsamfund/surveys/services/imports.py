"""Importing a file of responses (CSV or XLSX, ``importing.py``): all rows or none. A large
file is imported by a background job (``surveys.tasks.responses_import_task``) through the
same service, which then reports its progress."""

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
from ..selectors.rounds import import_vocabulary
from .responses import MAX_COMMENT_LENGTH, today

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

BATCH_SIZE = 1000  # responses stored per INSERT


def responses_import(
    *,
    actor: Actor,
    survey_round: SurveyRound,
    data: bytes | IO[bytes],
    filename: str,
    ignore: Iterable[str] = (),
    progress: importing.Progress | None = None,
) -> int:
    """Import a whole file of responses (see importing.py) or nothing: raises
    ``importing.ImportRejected`` with every problem. Returns the number imported.

    ``progress(done, total)`` hears how far reading, checking and storing are (a background
    job); it is called once more inside the transaction just before it commits, so that a
    job stopped meanwhile (``core.jobs.JobStopped``) undoes the whole import."""
    responses_import_check(actor=actor, survey_round=survey_round)
    departments, extra_items = import_vocabulary(survey_round)
    rows = importing.parse_import(
        data,
        filename,
        departments=list(departments),
        extra_items=extra_items,
        ignore=ignore,
        progress=progress,
    )
    day = today()
    total = 2 * len(rows)
    with transaction.atomic():
        for start in range(0, len(rows), BATCH_SIZE):
            SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    round=survey_round,
                    department=departments[row.department],
                    channel=Channel.IMPORT,
                    submitted_on=day,
                    extra=row.extra,
                    **row.answers,
                )
                for row in rows[start : start + BATCH_SIZE]
            )
            if progress is not None:
                progress(len(rows) + min(len(rows), start + BATCH_SIZE), total)
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
        if progress is not None:
            progress(total, total)  # the job must still be running: else nothing is kept
    return len(rows)


def responses_import_check(*, actor: Actor, survey_round: SurveyRound) -> None:
    """May ``actor`` import into the round now? (Before a large file goes to a background
    job, so that a closed round says so at once; ``responses_import`` checks again.)"""
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    if not survey_round.is_open:
        raise Conflict(_("Responses can be imported only while the round is open."))
