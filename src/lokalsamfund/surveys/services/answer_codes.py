"""Answer codes: new one-time codes for a department's letters (only their keyed hashes are
stored), codes and letters as one unit of work, and looking a typed code up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions, ratelimit
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, NotFound
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm
from lokalsamfund.core.ratelimit import Purpose

from .. import codes
from ..models import AnswerCode, SurveyRound

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

MAX_CODES_PER_BATCH = 5000


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
