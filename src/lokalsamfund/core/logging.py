"""Logs that cannot link an answer to a person (docs/security.md, "Survey anonymity and logs").

One filter, ``RedactFilter``, on every log line Django writes (``settings.LOGGING``) and on
gunicorn's access and error logs (``GunicornLogger``, set by ``lokalsamfund serve``):

- paths of the URL patterns that carry a secret (``SECRET_URL_NAMES``: answer codes, open
  links, calendar feed keys, e-mail verification and password-reset tokens, invitations)
  keep their shape with the secret replaced by ``[redacted]``; a path is recognised by
  resolving it, so a new pattern needs only its name in the set (a test checks that every
  pattern with a token-like parameter is in it);
- query strings are dropped (``?…``): they can carry anything;
- IPv4 addresses are replaced, and gunicorn's access format has no client address at all.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as _GunicornBaseLogger

# URL names (``namespace:name``) whose parameters are secrets.
SECRET_URL_NAMES = frozenset(
    {
        "surveys:form_code",  # an answer code of an older letter's QR code
        "surveys:form_link",  # a round's open link
        "bookings:private_feed",  # a personal calendar feed's key
        "bookings:verify",  # a guest's e-mail verification token
        "password_reset_confirm",  # Django's password-reset token
        "invitation_accept",  # an invitation token (core/invitations.py)
        "activities:signup_confirm",  # a sign-up's e-mail link (without an account)
        "activities:signup_cancel_link",  # the same, to cancel
        "activities:user_feed",  # a personal calendar feed's key (the bookings' key)
    }
)
# Patterns whose token-like parameter is not a secret (a test makes every pattern with one
# choose: in SECRET_URL_NAMES or here).
NOT_SECRET_URL_NAMES = frozenset({"decisions:parameter_reset"})  # a model parameter's key
# Parameter names that mark a secret; every URL pattern with one must be in a set above.
SECRET_PARAMETER = re.compile(r"token|key|secret|uidb64|answer_code|nonce", re.IGNORECASE)

REDACTED = "[redacted]"
_URL = re.compile(r"(?:https?://[^/\s\"']+)?(/[^\s\"'<>]*)")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")


def redact_path(path: str) -> str:
    """``path`` with any secret it carries replaced, and without its query string."""
    path, mark, _query = path.partition("?")
    suffix = "?…" if mark else ""
    try:
        from django.urls import Resolver404, resolve

        match = resolve(path)
    except Resolver404:
        return path + suffix
    except Exception:
        first = path.lstrip("/").split("/", 1)[0]
        return (f"/{first}/{REDACTED}" if path.count("/") > 1 else path) + suffix
    if match.view_name in SECRET_URL_NAMES:
        for value in match.kwargs.values():
            path = path.replace(str(value), REDACTED)
    return path + suffix


def redact(text: str) -> str:
    """A log message with every path (and URL) redacted and IPv4 addresses removed."""
    text = _URL.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + redact_path(m.group(1)), text)
    return _IPV4.sub("[ip]", text)


class RedactFilter(logging.Filter):
    """Rewrite every record's message through ``redact`` (the record is then plain text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        record.msg, record.args = redact(message), ()
        return True


# gunicorn's access line without the client's address (``%(h)s``): request, status, size,
# duration.
GUNICORN_ACCESS_FORMAT = '"%(r)s" %(s)s %(b)s %(M)sms'


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's logger with ``RedactFilter`` on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactFilter) for f in log.filters):
                log.addFilter(RedactFilter())
