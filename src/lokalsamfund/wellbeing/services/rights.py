"""A resident's rights over referrals (GDPR art. 15-17), for the organisation's data
protection contact (``Perm.REFERRAL_RIGHTS``).

Find everything about one person by name or address through the keyed blind indexes (never a
search in plain text); export it (art. 15) with the read log, i.e. who read each referral and
when (EU Court of Justice C-579/21); rectify it (art. 16); erase it (art. 17) with a record
that an erasure happened. Every search, display, export, rectification and erasure is in the
audit log, with counts and field names only. A referral outside the contact's organisation
(or departments) is "not found", exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden, NotFound
from lokalsamfund.core.models import AuditEntry, Membership, Organisation, User
from lokalsamfund.core.permissions import Actor

from .. import crypto as referral_crypto
from .. import permissions as referral_permissions
from ..models import EventKind, Observation, Referral, ReferralErasure, ReferralEvent
from .retention import REFERRAL_TYPE, Deletion, delete_referrals, settings_for

READ_ACTION = "wellbeing.read"
# Fields a rectification may change (the personal ones), by their form names.
RECTIFIABLE = ("name", "address", "identity_reason", "free_text")
_FIELD = {
    "name": "resident_name_encrypted",
    "address": "resident_address_encrypted",
    "identity_reason": "identity_reason_encrypted",
    "free_text": "free_text_encrypted",
}


def _not_found() -> NotFound:
    return NotFound(_("No such referral."))


def referral_for_rights(*, actor: Actor, reference: str) -> Referral:
    """The referral, if ``actor`` answers rights requests for it; else ``NotFound`` (the same
    for a referral of another organisation as for one that does not exist)."""
    referral = (
        Referral.objects.select_related("organisation", "department", "referred_by", "assigned_to")
        .filter(reference=reference)
        .first()
    )
    if referral is None:
        raise _not_found()
    try:
        referral_permissions.require_rights(actor, referral)
    except Forbidden:
        raise _not_found() from None
    return referral


def log_read(*, actor: Actor, referral: Referral, purpose: str) -> None:
    """Record that ``actor`` read ``referral`` (the read log of the resident's export)."""
    _log_reads(actor, [referral], purpose)


def _log_reads(actor: Actor, referrals: list[Referral], purpose: str) -> None:
    for referral in referrals:
        log_action(
            actor=actor,
            action=READ_ACTION,
            organisation=referral.organisation,
            obj=referral,
            data={"purpose": purpose},
        )


def rights_find(
    *, actor: Actor, organisation: Organisation, name: str = "", address: str = ""
) -> list[Referral]:
    """Referrals of ``organisation`` about a person with this name or at this address
    (either matches), newest first. Each one found counts as read."""
    referral_permissions.require_rights(actor, organisation)
    name_index = referral_crypto.blind_index(referral_crypto.normalise_name(name))
    address_index = referral_crypto.blind_index(referral_crypto.normalise_address(address))
    if not name_index and not address_index:
        raise DomainError(_("Give a name or an address."))
    match = Q(pk__in=[])
    if name_index:
        match |= Q(name_index=name_index)
    if address_index:
        match |= Q(address_index=address_index)
    found = [
        referral
        for referral in Referral.objects.filter(organisation=organisation)
        .filter(match)
        .select_related("organisation", "department", "referred_by", "assigned_to")
        .order_by("-created_at", "pk")
        if _may(actor, referral)
    ]
    with transaction.atomic():
        log_action(
            actor=actor,
            action="wellbeing.rights_search",
            organisation=organisation,
            data={
                "by": [k for k, v in (("name", name_index), ("address", address_index)) if v],
                "found": len(found),
            },
        )
        _log_reads(actor, found, "rights_request")
    return found


def _may(actor: Actor, referral: Referral) -> bool:
    return referral_permissions.may_answer_rights(actor, referral)


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


def _role_label(user: User | None, organisation: Organisation) -> str:
    if user is None:
        return _("the system")
    roles = sorted(
        {
            m.get_role_display()
            for m in Membership.objects.filter(user=user, organisation=organisation)
        }
    )
    return ", ".join(str(r) for r in roles)


def _at(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def referral_record(referral: Referral) -> dict[str, Any]:
    """Everything recorded about one referral, readable (decrypted): for the page and the
    export. The referrer may be withheld (the organisation's setting, with its reason)."""
    rules = settings_for(referral.organisation)
    withhold = rules.withhold_referrer_in_exports
    observations = dict(Observation.choices)
    read_log = []
    entries = AuditEntry.objects.filter(
        object_type=REFERRAL_TYPE, object_id=str(referral.pk), action=READ_ACTION
    ).select_related("actor")
    for entry in entries.order_by("at", "pk"):
        if withhold and entry.actor_id is not None and entry.actor_id == referral.referred_by_id:
            who, role = _("withheld"), _("withheld")
        else:
            who = _person(entry.actor) or entry.actor_label
            role = _role_label(entry.actor, referral.organisation)
        read_log.append({"at": _at(entry.at), "by": who, "role": role})
    steps = [
        {
            "kind": event.get_kind_display(),
            "at": _at(event.at),
            "by": _person(event.by),
            "text": referral_crypto.unseal(event.text_encrypted),
        }
        for event in referral.events.select_related("by").order_by("at", "pk")
    ]
    referred_by = _person(referral.referred_by)
    if withhold:
        referred_by = _("withheld: %(reason)s") % {"reason": rules.withhold_referrer_reason}
    return {
        "reference": referral.reference,
        "department": str(referral.department),
        "referred_at": _at(referral.created_at),
        "referred_by": referred_by,
        "observations": [str(observations.get(o, o)) for o in referral.observations],
        "urgency": referral.get_urgency_display(),
        "child_affected": referral.child_affected,
        "consent_to_contact": referral.consent_to_contact,
        "identity_basis": referral.get_identity_basis_display(),
        "legal_basis": referral.legal_basis,
        "name": referral_crypto.unseal(referral.resident_name_encrypted),
        "address": referral_crypto.unseal(referral.resident_address_encrypted),
        "identity_reason": referral_crypto.unseal(referral.identity_reason_encrypted),
        "free_text": referral_crypto.unseal(referral.free_text_encrypted),
        "status": referral.get_status_display(),
        "social_worker": _person(referral.assigned_to),
        "outcome": referral.get_outcome_display() if referral.outcome else "",
        "closed_at": _at(referral.closed_at),
        "steps": steps,
        "read_log": read_log,
    }


def _resolve(actor: Actor, organisation: Organisation, references: list[str]) -> list[Referral]:
    if not references:
        raise DomainError(_("Choose at least one referral."))
    referrals = []
    for reference in dict.fromkeys(references):
        referral = referral_for_rights(actor=actor, reference=reference)
        if referral.organisation_id != organisation.pk:
            raise _not_found()
        referrals.append(referral)
    return referrals


def rights_export(
    *, actor: Actor, organisation: Organisation, references: list[str], kind: str
) -> dict[str, Any]:
    """The art. 15 export of the chosen referrals (``kind`` "json" or "pdf", for the log):
    every field, every step, the read log. Recorded, per referral, as an export."""
    referral_permissions.require_rights(actor, organisation)
    referrals = _resolve(actor, organisation, references)
    records = [referral_record(referral) for referral in referrals]
    with transaction.atomic():
        for referral in referrals:
            log_action(
                actor=actor,
                action="wellbeing.rights_export",
                organisation=organisation,
                obj=referral,
                data={"format": kind},
            )
    return {
        "organisation": organisation.name,
        "exported_at": _at(timezone.now()),
        "legal_basis": "GDPR art. 15",
        "referrals": records,
    }


@dataclass(frozen=True)
class Rectification:
    """New values (``None``: unchanged) and why."""

    name: str | None = None
    address: str | None = None
    identity_reason: str | None = None
    free_text: str | None = None


def rights_rectify(
    *, actor: Actor, reference: str, changes: Rectification, explanation: str
) -> Referral:
    """Correct personal fields (art. 16): re-sealed, re-indexed, a "rectified" step with the
    explanation (sealed), an audit entry naming the fields, not their values."""
    with transaction.atomic():
        referral = referral_for_rights(actor=actor, reference=reference)
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        changed = []
        for name in RECTIFIABLE:
            value = getattr(changes, name)
            if value is None:
                continue
            value = value.strip()
            field = _FIELD[name]
            if value == referral_crypto.unseal(getattr(referral, field)):
                continue
            setattr(referral, field, referral_crypto.seal(value))
            changed.append(name)
        if not changed:
            raise DomainError(_("Nothing was changed."))
        if not explanation.strip():
            raise DomainError(_("Say why the referral is rectified."))
        name = referral_crypto.unseal(referral.resident_name_encrypted)
        address = referral_crypto.unseal(referral.resident_address_encrypted)
        referral.name_index = referral_crypto.blind_index(referral_crypto.normalise_name(name))
        referral.address_index = referral_crypto.blind_index(
            referral_crypto.normalise_address(address)
        )
        referral.save(update_fields=[*(_FIELD[n] for n in changed), "name_index", "address_index"])
        ReferralEvent.objects.create(
            referral=referral,
            kind=EventKind.RECTIFIED,
            text_encrypted=referral_crypto.seal(explanation.strip()),
            by=actor if isinstance(actor, User) else None,
        )
        log_action(
            actor=actor,
            action="wellbeing.rectify",
            organisation=referral.organisation,
            obj=referral,
            data={"fields": changed},
        )
    return referral


def rights_erase(*, actor: Actor, organisation: Organisation, references: list[str]) -> Deletion:
    """Erase the chosen referrals (art. 17): deleted with their steps, their audit entries
    reduced to counts, a ``ReferralErasure`` (who, when, how many) kept."""
    referral_permissions.require_rights(actor, organisation)
    with transaction.atomic():
        referrals = _resolve(actor, organisation, references)
        deletion = delete_referrals(
            actor=actor,
            organisation=organisation,
            referrals=referrals,
            reason=ReferralErasure.Reason.RIGHTS_REQUEST,
            now=timezone.now(),
        )
        log_action(
            actor=actor,
            action="wellbeing.erase",
            organisation=organisation,
            data={"referrals": deletion.referrals, "audit_entries": deletion.audit_entries},
        )
    return deletion


def erasures(*, actor: Actor, organisation: Organisation) -> list[ReferralErasure]:
    """The organisation's record of deletions and erasures (no personal data)."""
    referral_permissions.require_rights(actor, organisation)
    return list(ReferralErasure.objects.filter(organisation=organisation).select_related("by")[:50])
