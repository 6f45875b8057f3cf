"""Writes of the survey domain, by topic:

``rounds``: create, open, close (computing and storing the results once), publish, links.
``answer_codes``: one-time codes for letters (codes and letters one unit of work), lookups.
``responses``: validating and storing a response, redacting free text.
``imports``: a whole file of responses, or nothing (small files at once, large ones as a
background job: ``surveys.tasks``).

Every service is keyword-only, checks permissions through ``core.permissions.require``
(commands and tasks act as ``permissions.SYSTEM`` or the job's owner; a missing actor may do
nothing), runs in one transaction and raises ``DomainError`` with a translated message.
Responses are not audit-logged: a log entry with a time would undo the anonymity
(privacy.md). ``from lokalsamfund.surveys import services; services.round_close(...)`` and
``from lokalsamfund.surveys.services import round_close`` both work.
"""

from .answer_codes import MAX_CODES_PER_BATCH, code_lookup, codes_generate, letters_create
from .imports import responses_import, responses_import_check
from .responses import (
    MAX_COMMENT_LENGTH,
    AlreadySubmitted,
    clean_answers,
    comment_redact,
    response_submit,
    today,
)
from .rounds import (
    link_set_active,
    results_store,
    round_close,
    round_create,
    round_open,
    round_publish_summary,
)

__all__ = [
    "MAX_CODES_PER_BATCH",
    "MAX_COMMENT_LENGTH",
    "AlreadySubmitted",
    "clean_answers",
    "code_lookup",
    "codes_generate",
    "comment_redact",
    "letters_create",
    "link_set_active",
    "response_submit",
    "responses_import",
    "responses_import_check",
    "results_store",
    "round_close",
    "round_create",
    "round_open",
    "round_publish_summary",
    "today",
]
