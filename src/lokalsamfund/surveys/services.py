"""Writes of the survey domain: rounds, answer codes, responses, imports, closing a round
(computing and storing its results once), publishing, redacting free text.

Every service is keyword-only, checks permissions through ``core.permissions.require``
(commands act as ``permissions.SYSTEM``; a missing actor may do nothing), runs in one
transaction and raises ``DomainError`` with a translated message. Responses are not
audit-logged: a log entry with a time would undo the anonymity (privacy.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions, ratelimit
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, NotFound
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm
from lokalsamfund.core.ratelimit import Purpose

from . import analysis, codes, disclosure, evidence, frames, importing, instrument
from .models import (
    AnswerCode,
    Channel,
    DepartmentResults,
    RoundResults,
    RoundStatus,
    SubmittedDraft,
    SurveyComment,
    SurveyItem,
    SurveyLink,
    SurveyResponse,
    SurveyRound,
)

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

MAX_CODES_PER_BATCH = 5000
MAX_COMMENT_LENGTH = 2000


def today() -> dt.date:
    return timezone.localdate()


# Rounds ----------------------------------------------------------------------------------


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


# Answer codes ----------------------------------------------------------------------------


def codes_generate(
    *, actor: Actor, survey_round: SurveyRound, department: Department, count: int
) -> list[str]:
    """New one-time codes for a department's letters. The codes are returned once (for the
    PDF) and only their keyed hashes are stored."""
    stored: list[str] = []

    def keep(new: list[str]) -> None:
        stored[:] = new

    _codes_create(
        actor=actor, survey_round=survey_round, department=department, count=count, before=keep
    )
    return stored


def letters_create(
    *,
    actor: Actor,
    survey_round: SurveyRound,
    department: Department,
    count: int,
    render: Callable[[list[str]], bytes],
) -> bytes:
    """New codes and their letters (``render`` makes the PDF from the codes) as one unit of
    work: the letters are made first and the codes stored only when they exist, in one short
    transaction, so that a failing PDF leaves no code that no letter carries (and no long
    write lock is held while the PDF renders)."""
    made: list[bytes] = []

    def letters(new: list[str]) -> None:
        made[:] = [render(new)]

    _codes_create(
        actor=actor, survey_round=survey_round, department=department, count=count, before=letters
    )
    return made[0]


def _codes_create(
    *,
    actor: Actor,
    survey_round: SurveyRound,
    department: Department,
    count: int,
    before: Callable[[list[str]], None],
) -> None:
    """Draw ``count`` codes, hand them to ``before`` (which may fail: then nothing is
    stored), then store their hashes; a hash collision draws the batch again."""
    permissions.require(actor, Perm.MANAGE_SURVEYS, survey_round.organisation)
    if survey_round.is_closed:
        raise Conflict(_("The round is closed."))
    if not survey_round.departments.filter(pk=department.pk).exists():
        raise DomainError(_("The department is not part of this round."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise DomainError(_("Choose between 1 and %(max)s letters.") % {"max": MAX_CODES_PER_BATCH})
    key = settings.LOKALSAMFUND_HASH_KEY
    for _attempt in range(3):
        new: set[str] = set()
        while len(new) < count:
            new.add(codes.new_code())
        before(list(new))
        try:
            with transaction.atomic():
                AnswerCode.objects.bulk_create(
                    AnswerCode(
                        round=survey_round, department=department, code_hash=codes.code_hash(c, key)
                    )
                    for c in new
                )
                log_action(
                    actor=actor,
                    action="survey.codes_generated",
                    organisation=survey_round.organisation,
                    obj=survey_round,
                    data={"department": department.code, "count": count},
                )
        except IntegrityError:
            continue  # a collision with an existing code's hash: draw the batch again
        return
    raise DomainError(_("Could not generate unique codes; try again."))


# Responses -------------------------------------------------------------------------------


def clean_answers(
    survey_round: SurveyRound, answers: Mapping[str, Any], extra: Mapping[str, Any]
) -> tuple[dict[str, int | None], dict[str, str]]:
    """Validate answers against the instrument (codes) and the round's extra questions
    (values); complete multiple-choice blocks. Raises ``DomainError``."""
    inst = instrument.canonical()
    cleaned: dict[str, int | None] = {}
    for code, value in answers.items():
        if not inst.has_item(code) or not inst.item(code).stored:
            raise DomainError(_("Unknown question: %(code)s") % {"code": code})
        if value in (None, ""):
            cleaned[code] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if inst.item(code).option_for_code(number) is None:
            raise DomainError(
                _("'%(value)s' is not a valid answer to %(code)s.") % {"value": value, "code": code}
            )
        cleaned[code] = number
    allowed_extra = {
        item.code: set(item.options.values_list("value", flat=True))
        for item in survey_round.extra_items.all()
    }
    cleaned_extra: dict[str, str] = {}
    for code, value in extra.items():
        if value in (None, ""):
            continue
        if code not in allowed_extra or str(value) not in allowed_extra[code]:
            raise DomainError(
                _("'%(value)s' is not a valid answer to %(code)s.") % {"value": value, "code": code}
            )
        cleaned_extra[code] = str(value)
    return importing.complete_flag_blocks(cleaned), cleaned_extra


def response_submit(
    *,
    survey_round: SurveyRound,
    department: Department,
    channel: str,
    answers: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
    comment: str = "",
    code: str | None = None,
    actor: Actor | None = None,
    link_token: str | None = None,
    draft_nonce: str | None = None,
) -> None:
    """Store one response. With a code, the code's single use and the response are one
    transaction: a used (or concurrently used) code stores nothing. With ``link_token`` (the
    form's open link), the link must still be on. With ``draft_nonce`` (the form's draft),
    the draft may submit once: a second submit raises ``AlreadySubmitted`` and stores
    nothing. Paper answers need an actor with ``ENTER_PAPER_ANSWERS`` on the department."""
    if channel == Channel.PAPER:
        if actor is None:
            raise DomainError(_("Paper answers are typed in by staff."))
        permissions.require(actor, Perm.ENTER_PAPER_ANSWERS, department)
    if not survey_round.is_open:
        raise Conflict(_("The survey is not open."))
    if not survey_round.departments.filter(pk=department.pk).exists():
        raise DomainError(_("The department is not part of this round."))
    cleaned, cleaned_extra = clean_answers(survey_round, answers, extra or {})
    if all(v is None for v in cleaned.values()) and not cleaned_extra and not comment.strip():
        raise DomainError(_("The response has no answers."))
    with transaction.atomic():
        if draft_nonce is not None:
            _draft_submitted_once(survey_round, draft_nonce)
        if (
            link_token is not None
            and not SurveyLink.objects.filter(
                round=survey_round, department=department, token=link_token, active=True
            ).exists()
        ):
            raise Conflict(_("This open link has been switched off; the answers were not saved."))
        if channel == Channel.CODE:
            used = AnswerCode.objects.filter(
                round=survey_round,
                department=department,
                code_hash=codes.code_hash(code or "", settings.LOKALSAMFUND_HASH_KEY),
                used=False,
            ).update(used=True)
            if used != 1:
                raise Conflict(_("The code does not exist or has already been used."))
        SurveyResponse.objects.create(
            round=survey_round,
            department=department,
            channel=channel,
            submitted_on=today(),
            extra=cleaned_extra,
            **cleaned,
        )
        if comment.strip():
            SurveyComment.objects.create(
                round=survey_round, department=department, text=comment.strip()[:MAX_COMMENT_LENGTH]
            )


class AlreadySubmitted(Conflict):
    """The draft was submitted before (a reload, a double click or a replay)."""


def _draft_submitted_once(survey_round: SurveyRound, nonce: str) -> None:
    if not nonce:
        raise Conflict(_("The form has expired. Please start again from the letter or the link."))
    key = settings.LOKALSAMFUND_HASH_KEY.encode()
    nonce_hash = hmac.new(key, f"draft:{nonce}".encode(), hashlib.sha256).hexdigest()
    try:
        with transaction.atomic():
            SubmittedDraft.objects.create(nonce_hash=nonce_hash, round=survey_round)
    except IntegrityError as exc:
        raise AlreadySubmitted(_("These answers have already been sent.")) from exc


def code_lookup(*, code: str, client: str) -> AnswerCode:
    """The unused code of an open round, or ``NotFound`` (never says which of the two).

    Wrong codes are limited per client address (``core.ratelimit``, purpose
    ``answer_code``): after ``ANSWER_CODE_FAILURE_LIMIT`` well-formed wrong codes within the
    window, every code from that client is refused with ``TooManyAttempts``, the right one
    too (else guessing would go on), until the window has passed. A right code does not
    clear the count: a guesser holding one real code could otherwise reset it at will.
    Malformed input is not counted: it can never match a code. Only a keyed hash of the
    client's network and the time are stored; not the code typed, not the round."""
    keys = ratelimit.keys_for(Purpose.ANSWER_CODE, client=client)
    if ratelimit.is_locked(Purpose.ANSWER_CODE, keys):
        limit = ratelimit.limit_for(Purpose.ANSWER_CODE)
        raise ratelimit.TooManyAttempts(
            _(
                "Too many wrong codes were typed from this connection. Wait %(minutes)s "
                "minutes and try again."
            )
            % {"minutes": limit.minutes}
        )
    not_found = NotFound(
        _("The code does not exist, has already been used, or the survey is closed.")
    )
    if not codes.looks_valid(code):
        raise not_found
    found = (
        AnswerCode.objects.select_related("round", "department")
        .filter(code_hash=codes.code_hash(code, settings.LOKALSAMFUND_HASH_KEY), used=False)
        .first()
    )
    if found is None or not found.round.is_open:
        ratelimit.record_failure(Purpose.ANSWER_CODE, keys)
        raise not_found
    return found


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


def comment_redact(*, actor: Actor, comment: SurveyComment) -> None:
    """Blank a free-text comment that identifies someone (the fact of redaction is kept)."""
    permissions.require(actor, Perm.VIEW_FREE_TEXT, comment.round.organisation)
    with transaction.atomic():
        comment.text = ""
        comment.redacted = True
        comment.save(update_fields=["text", "redacted"])
        log_action(
            actor=actor,
            action="survey.comment_redacted",
            organisation=comment.round.organisation,
            obj=comment.round,
            data={"comment": comment.pk},
        )
