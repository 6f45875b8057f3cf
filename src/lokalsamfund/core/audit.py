"""The one audit log. Every domain records what matters through ``log_action``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Organisation, User

if TYPE_CHECKING:
    from .permissions import Actor


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


# Labels of the keys of ``AuditEntry.data`` that the domains write.
_DATA_LABELS: dict[str, Any] = {
    "role": _("role"),
    "departments": _("departments"),
    "replaced": _("replaced"),
    "user": _("user"),
    "membership": _("membership"),
    "kind": _("type"),
    "association": _("association"),
    "slug": _("short name"),
}


def object_type_label(object_type: str) -> str:
    """The model's name ("core.invitation" -> "invitation"), else the code."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def details_text(data: dict[str, Any]) -> str:
    """An entry's details as "label: value" pairs, roles by their names."""
    from .models import Role

    parts = []
    for key, value in (data or {}).items():
        if key in ("role", "kind") and value in Role.values:
            value = Role(value).label
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{_DATA_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


def log_action(
    *,
    actor: Actor,
    action: str,
    organisation: Organisation | None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a domain action, e.g. ``log_action(actor=u, action="bookings.approve", ...)``.

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
