"""Responses: validating answers against the instrument, storing one response (by code, open
link or paper, each draft once), and redacting a free-text comment. Responses are not
audit-logged: a log entry with a time would undo the anonymity (privacy.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm

from .. import codes, importing, instrument
from ..models import (
    AnswerCode,
    Channel,
    SubmittedDraft,
    SurveyComment,
    SurveyLink,
    SurveyResponse,
    SurveyRound,
)

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

MAX_COMMENT_LENGTH = 2000


def today() -> dt.date:
    return timezone.localdate()


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
