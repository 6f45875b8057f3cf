"""Rounds: create, open, close (computing and storing the disclosure-controlled results
once), publish the residents' summary, switch a department's open link off and on."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm

from .. import analysis, disclosure, evidence, frames
from ..models import (
    DepartmentResults,
    RoundResults,
    RoundStatus,
    SurveyItem,
    SurveyLink,
    SurveyRound,
)

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor


def _free_round_slug(slug: str) -> str:
    """``slug`` with a random ending that no round has (within the field's 60 characters)."""
    while True:
        candidate = f"{slug[:53]}-{secrets.token_hex(3)}"
        if not SurveyRound.objects.filter(slug=candidate).exists():
            return candidate


def round_create(
    *,
    actor: Actor,
    organisation: Organisation,
    slug: str,
    title: str,
    departments: Sequence[Department],
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    min_cell_size: int = disclosure.MIN_CELL_SIZE,
    extra_items: Iterable[SurveyItem] = (),
    open_now: bool = False,
) -> SurveyRound:
    """Create a round (draft, or open with ``open_now``) with an open link per department.
    A short name another organisation uses gets a random ending (the returned round's slug)."""
    permissions.require(actor, Perm.MANAGE_SURVEYS, organisation)
    if not departments:
        raise DomainError(_("Choose at least one department."))
    if any(d.organisation_id != organisation.pk for d in departments):
        raise DomainError(_("Every department must belong to the organisation."))
    if min_cell_size < disclosure.MIN_CELL_SIZE:
        raise DomainError(
            _("The minimum group size cannot be below %(k)s.") % {"k": disclosure.MIN_CELL_SIZE}
        )
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError(_("The closing date must be on or after the opening date."))
    taken_by = SurveyRound.objects.filter(slug=slug).values_list("organisation_id", flat=True)
    if organisation.pk in taken_by:
        raise Conflict(_("A round with the short name '%(slug)s' exists already.") % {"slug": slug})
    if taken_by:
        # Short names are global (they are the pages' addresses). Refusing one that another
        # organisation uses would tell that it has such a round: take a free variant instead.
        slug = _free_round_slug(slug)
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(
            organisation=organisation,
            slug=slug,
            title=title or slug,
            opens_on=opens_on,
            closes_on=closes_on,
            min_cell_size=min_cell_size,
            status=RoundStatus.OPEN if open_now else RoundStatus.DRAFT,
        )
        survey_round.departments.set(departments)
        survey_round.extra_items.set(
            [i for i in extra_items if i.organisation_id == organisation.pk]
        )
        SurveyLink.objects.bulk_create(
            SurveyLink(round=survey_round, department=d, token=secrets.token_urlsafe(16))
            for d in departments
        )
        log_action(
            actor=actor,
            action="survey.round_created",
            organisation=organisation,
            obj=survey_round,
            data={"departments": sorted(d.code for d in departments), "open": open_now},
        )
    return survey_round


def round_open(*, actor: Actor, survey_round: SurveyRound) -> SurveyRound:
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if locked.status != RoundStatus.DRAFT:
            raise Conflict(_("Only a draft round can be opened."))
        locked.status = RoundStatus.OPEN
        locked.save(update_fields=["status"])
        log_action(
            actor=actor,
            action="survey.round_opened",
            organisation=locked.organisation,
            obj=locked,
        )
    return locked


def round_close(*, actor: Actor, survey_round: SurveyRound) -> RoundResults:
    """Close an open round and compute its results once, through disclosure control; from
    now on every surface reads the stored results."""
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if locked.status != RoundStatus.OPEN:
            raise Conflict(_("Only an open round can be closed."))
        results = results_store(survey_round=locked)
        locked.status = RoundStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        log_action(
            actor=actor,
            action="survey.round_closed",
            organisation=locked.organisation,
            obj=locked,
            data={"respondents": results.respondents},
        )
    return results


def results_store(*, survey_round: SurveyRound) -> RoundResults:
    """Compute the round's disclosure-controlled results from its responses and store them
    (replacing any stored before). Called by ``round_close``."""
    frame = frames.responses_frame(survey_round.pk)
    results = analysis.compute_results(frame, min_cell_size=survey_round.min_cell_size)
    payloads = analysis.to_payloads(results)
    scores = _shown_score_counts(payloads.overview, analysis.ucla_score_counts(frame))
    department_ids = dict(survey_round.departments.values_list("code", "pk"))
    with transaction.atomic():
        RoundResults.objects.filter(round=survey_round).delete()
        DepartmentResults.objects.filter(round=survey_round).delete()
        stored = RoundResults.objects.create(
            round=survey_round,
            min_cell_size=disclosure.effective_k(survey_round.min_cell_size),
            respondents=frame.height,
            overview_json=payloads.overview,
        )
        frames.department_results_insert(
            [
                (
                    survey_round.pk,
                    department_ids[code],
                    body,
                    json.dumps({str(s): c for s, c in scores.get(code, {}).items()}),
                )
                for code, body in payloads.departments.items()
                if code in department_ids
            ]
        )
    return stored


def _shown_score_counts(
    overview: str, scores: dict[str, dict[int, int]]
) -> dict[str, dict[int, int]]:
    """The UCLA-3 score distribution only of departments whose severe-loneliness share is
    shown: where disclosure control hid that share (too few residents' answers, dominance),
    the distribution would tell the same thing, so it is not stored at all."""
    shown = {
        group["department"]
        for group in json.loads(overview)
        if group["department"] is not None
        and evidence.shown(group, "severe_loneliness_share") is not None
    }
    return {code: counts for code, counts in scores.items() if code in shown}


def round_publish_summary(*, actor: Actor, survey_round: SurveyRound, published: bool) -> None:
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    if published and not survey_round.is_closed:
        raise Conflict(_("Results can be published only when the round is closed."))
    with transaction.atomic():
        survey_round.summary_published = published
        survey_round.save(update_fields=["summary_published"])
        log_action(
            actor=actor,
            action="survey.summary_published" if published else "survey.summary_withdrawn",
            organisation=survey_round.organisation,
            obj=survey_round,
        )


def link_set_active(*, actor: Actor, link: SurveyLink, active: bool) -> SurveyLink:
    """Switch a department's open link off (no new answers by it, and a draft begun by it
    can no longer be submitted) or on again (same address)."""
    permissions.require(actor, Perm.MANAGE_SURVEYS, link.round.organisation)
    with transaction.atomic():
        locked = SurveyLink.objects.select_for_update().select_related("round").get(pk=link.pk)
        if locked.round.is_closed:
            raise Conflict(_("The round is closed."))
        locked.active = active
        locked.save(update_fields=["active"])
        log_action(
            actor=actor,
            action="survey.link_switched_on" if active else "survey.link_switched_off",
            organisation=locked.round.organisation,
            obj=locked.round,
            data={"department": link.department.code},
        )
    return locked
