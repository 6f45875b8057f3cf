"""A resident's unfinished answers, kept only in the resident's browser until submit.

Not in the database (not even in Django's session table): a signed, compressed cookie that
lives for the browser session (and at most ``MAX_AGE``), is sent only to the form's own
paths, cannot be read by scripts and is deleted on submit. The signature stops tampering;
every answer is validated again on submit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from .questionnaire import Draft

COOKIE = "lks_survey"
SALT = "lokalsamfund.surveys.draft"
PATH = "/s/"
MAX_AGE = 60 * 60 * 24 * 3


def new_nonce() -> str:
    """A draft's random identity: submitted once, held by the database (SubmittedDraft)."""
    return secrets.token_urlsafe(16)


@dataclass
class FormState:
    round_id: int
    department_id: int
    channel: str
    code: str
    language: str
    draft: Draft
    nonce: str = ""  # the draft's identity (new_nonce); a draft without one cannot submit
    link_token: str = ""  # the open link it was begun by, checked again on submit
    done: bool = False  # submitted: the form shows the thank-you page, nothing more

    def as_data(self) -> dict[str, Any]:
        return {
            "r": self.round_id,
            "d": self.department_id,
            "c": self.channel,
            "k": self.code,
            "l": self.language,
            "v": {} if self.done else self.draft.as_data(),
            "n": self.nonce,
            "t": self.link_token,
            "x": self.done,
        }


def load(request: HttpRequest) -> FormState | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
        return FormState(
            round_id=int(data["r"]),
            department_id=int(data["d"]),
            channel=str(data["c"]),
            code=str(data.get("k", "")),
            language=str(data.get("l", "da")),
            draft=Draft.from_data(data.get("v", {})),
            nonce=str(data.get("n", "")),
            link_token=str(data.get("t", "")),
            done=bool(data.get("x", False)),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def save(response: HttpResponse, state: FormState) -> None:
    response.set_cookie(
        COOKIE,
        signing.dumps(state.as_data(), salt=SALT, compress=True),
        path=PATH,
        secure=getattr(settings, "HTTPS", False),
        httponly=True,
        samesite="Lax",
    )


def clear(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=PATH, samesite="Lax")
