"""Reading referrals. Lists carry no personal field (no name, address, free text or note);
reading one referral goes through ``referral_for_reading``, which decides the access
(``wellbeing.permissions``) and records the read (``wellbeing.read``) in the audit log, for
the resident's export of who read it and when (EU Court of Justice C-579/21)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import Actor

from . import crypto
from .models import (
    EventKind,
    Observation,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Urgency,
    WellbeingSettings,
)
from .permissions import Access, handled_by, not_found, referred_by, require_access


def is_same_day(referral: Referral) -> bool:
    """Acute risk or a child who may be affected: handle today."""
    return referral.urgency == Urgency.ACUTE or referral.child_affected


def observation_labels(referral: Referral) -> list[str]:
    labels = dict(Observation.choices)
    return [str(labels.get(key, key)) for key in referral.observations]


def _by_urgency(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Same-day first (acute, then a child), then soon, then when possible; oldest first."""
    rank = Case(
        When(urgency=Urgency.ACUTE, then=Value(0)),
        When(child_affected=True, then=Value(1)),
        When(urgency=Urgency.SOON, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return referrals.annotate(rank=rank).order_by("rank", "created_at", "pk")


def queue_for(
    actor: Actor, *, assigned_to_me: bool = False, closed: bool = False
) -> QuerySet[Referral]:
    """The social worker's queue: open referrals by urgency (or the closed ones, newest first).
    No personal field is read."""
    referrals = handled_by(actor).select_related("department", "assigned_to")
    if assigned_to_me:
        referrals = referrals.filter(assigned_to_id=getattr(actor, "pk", None))
    if closed:
        return referrals.filter(status=ReferralStatus.CLOSED).order_by("-closed_at", "pk")
    return _by_urgency(referrals.exclude(status=ReferralStatus.CLOSED))


def referrals_made_by(actor: Actor) -> QuerySet[Referral]:
    """A caretaker's own referrals (for their status list), newest first."""
    return referred_by(actor).select_related("department").order_by("-created_at", "pk")


def settings_for(organisation_id: int) -> WellbeingSettings:
    """The organisation's settings, or the defaults (not saved) when it has none."""
    found = WellbeingSettings.objects.filter(organisation_id=organisation_id).first()
    return found or WellbeingSettings(organisation_id=organisation_id)


@dataclass(frozen=True)
class Step:
    kind: str
    kind_label: str
    text: str
    by: User | None
    at: datetime


@dataclass(frozen=True)
class ReferralRead:
    """One referral as ``actor`` may see it: the status only, or everything decrypted."""

    referral: Referral
    access: Access
    resident_name: str = ""
    resident_address: str = ""
    identity_reason: str = ""
    free_text: str = ""
    steps: list[Step] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.access == Access.FULL


def _steps(referral: Referral) -> list[Step]:
    labels = dict(EventKind.choices)
    events = ReferralEvent.objects.filter(referral=referral).select_related("by")
    return [
        Step(
            kind=event.kind,
            kind_label=str(labels.get(event.kind, event.kind)),
            text=crypto.sealed(event, "text"),
            by=event.by,
            at=event.at,
        )
        for event in events
    ]


def referral_for_reading(actor: Actor, reference: str, *, surface: str = "page") -> ReferralRead:
    """The referral with ``reference`` as ``actor`` may see it; ``NotFound`` when it does not
    exist or ``actor`` may not see it (the same answer). Every read is audit-logged."""
    referral = (
        Referral.objects.select_related("organisation", "department", "assigned_to", "referred_by")
        .filter(reference=reference)
        .first()
    )
    if referral is None:
        raise not_found()
    access = require_access(actor, referral, Access.STATUS)
    log_action(
        actor=actor,
        action="wellbeing.read",
        organisation=referral.organisation,
        obj=referral,
        data={"view": "full" if access == Access.FULL else "status", "surface": surface},
    )
    if access != Access.FULL:
        return ReferralRead(referral=referral, access=access)
    return ReferralRead(
        referral=referral,
        access=access,
        resident_name=crypto.sealed(referral, "resident_name"),
        resident_address=crypto.sealed(referral, "resident_address"),
        identity_reason=crypto.sealed(referral, "identity_reason"),
        free_text=crypto.sealed(referral, "free_text"),
        steps=_steps(referral),
    )


def referral_for_handling(actor: Actor, reference: str) -> Referral:
    """The referral to change (no personal field read, so no read entry: the change itself is
    logged); ``NotFound`` unless ``actor`` handles it."""
    referral = (
        Referral.objects.select_related("organisation", "department")
        .filter(reference=reference)
        .first()
    )
    if referral is None:
        raise not_found()
    require_access(actor, referral, Access.FULL)
    return referral
