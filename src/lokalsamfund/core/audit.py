"""The one audit log. Every domain records what matters through ``log_action``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEntry, Organisation, User

if TYPE_CHECKING:
    from .permissions import Actor


def log_action(
    *,
    actor: Actor,
    action: str,
    organisation: Organisation | None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a domain action, e.g. ``log_action(actor=u, action="booking.approved", ...)``.

    ``action`` is ``<domain>.<verb>``; ``data`` holds non-personal details only (ids, codes,
    counts, reasons), never free text about a resident. Call it inside the service's
    transaction so the entry exists exactly when the change does. ``permissions.SYSTEM`` (and
    an anonymous visitor) is recorded as "system".
    """
    user = actor if isinstance(actor, User) else None
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
