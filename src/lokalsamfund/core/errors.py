"""Domain errors. Services raise them with translated text; surfaces turn them into a message,
an HTTP status or an exit code (never a stack trace)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain was broken; the message tells the user what and where."""

    status_code = 400

    def __init__(self, message: Any, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details or {}


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError, PermissionDenied):
    """Not allowed. Also Django's ``PermissionDenied``: a view that does not catch it answers
    403."""

    status_code = 403


class Conflict(DomainError):
    """E.g. a booking that clashes with another; ``details`` names the clashing time."""

    status_code = 409
