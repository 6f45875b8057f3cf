"""The one audit log. Every domain records what matters through ``log_action``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEntry, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


# Danish phrases for action codes ("bookings.cancel" -> "booking afbestilt"), filled by each
# domain from its AppConfig.ready() through register_action_labels.
_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Register the readable labels (lazy translations) of a domain's action codes."""
    _LABELS.update(labels)


def action_label(action: str) -> str:
    """The label of an action code in the active language; the code itself if none."""
    label = _LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, by label (for filters)."""
    return sorted(((code, action_label(code)) for code in _LABELS), key=lambda c: c[1])


def log_action(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    organisation: Organisation | None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a domain action, e.g. ``log_action(actor=u, action="bookings.approve", ...)``.

    ``action`` is ``<domain>.<verb>``; ``data`` holds non-personal details only (ids, codes,
    counts, reasons), never free text about a resident. Call it inside the service's
    transaction so the entry exists exactly when the change does.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=user,
        actor_label=(user.email if user is not None else "system"),
        action=action,
        object_type=(obj._meta.label_lower if obj is not None else ""),
        object_id=(str(obj.pk) if obj is not None else ""),
        object_repr=(str(obj)[:300] if obj is not None else ""),
        data=data or {},
    )


def entries_for(organisation: Organisation) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(organisation=organisation).select_related("actor")
