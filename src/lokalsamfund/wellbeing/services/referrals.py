"""Creating and handling referrals (``Referral``): create (caretakers), take, record a contact,
action or note, reassign and close (social workers). Every change is audit-logged with
non-personal details only; personal fields are sealed (``wellbeing.crypto``) before they are
stored. Who may act is decided by ``wellbeing.permissions`` (``NotFound`` for anyone else)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Actor, Perm, require

from .. import crypto, notify
from ..models import (
    EventKind,
    IdentityBasis,
    Observation,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from ..permissions import Access, may_handle, require_access, social_workers_for

MAX_FREE_TEXT = 1000
MAX_NOTE = 4000
MAX_IDENTITY = 200

# The legal basis stored with each referral (GDPR art. 9 and its Danish application).
LEGAL_BASIS = {
    IdentityBasis.NOT_NAMED: (
        "Not named: no identity recorded; GDPR art. 6(1)(e)/(f) for passing on a concern "
        "about the housing"
    ),
    IdentityBasis.CONSENT: (
        "GDPR art. 9(2)(a) explicit consent of the resident; databeskyttelsesloven § 7, stk. 1"
    ),
    IdentityBasis.VITAL_INTERESTS: (
        "GDPR art. 9(2)(c) vital interests, the resident cannot consent; "
        "databeskyttelsesloven § 7, stk. 1"
    ),
}
RECORDABLE = (EventKind.CONTACT, EventKind.ACTION, EventKind.NOTE)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _needs_keys(*texts: str) -> None:
    if any(texts) and not settings.LOKALSAMFUND_FIELD_KEYS:
        raise DomainError(
            _(
                "Personal details are stored encrypted, and no key is set "
                "(LOKALSAMFUND_FIELD_KEYS, see the deployment guide). Nothing was stored."
            )
        )


def _check_length(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise DomainError(
            _("%(what)s is too long: at most %(limit)d characters.")
            % {"what": what, "limit": limit}
        )


def _check_identity(*, identity_basis: str, name: str, address: str, reason: str) -> None:
    if identity_basis not in IdentityBasis.values:
        raise DomainError(_("Choose on what basis the resident is named."))
    named = bool(name or address)
    if identity_basis == IdentityBasis.NOT_NAMED:
        if named or reason:
            raise DomainError(
                _(
                    "Name the resident only when they consented or when there is an acute "
                    "risk and you record why: otherwise leave name and address empty."
                )
            )
        return
    if not named:
        raise DomainError(_("Give the resident's name or address, or choose not to name them."))
    if identity_basis == IdentityBasis.VITAL_INTERESTS and not reason:
        raise DomainError(_("Record why the resident is named without consent (vital interests)."))
    if identity_basis == IdentityBasis.CONSENT and reason:
        raise DomainError(
            _("A reason is recorded only when the resident is named without consent.")
        )
    _check_length(name, MAX_IDENTITY, str(_("The name")))
    _check_length(address, MAX_IDENTITY, str(_("The address")))
    _check_length(reason, MAX_FREE_TEXT, str(_("The reason")))


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    department: Department,
    observations: Sequence[str],
    urgency: str,
    child_affected: bool = False,
    consent_to_contact: bool = False,
    identity_basis: str = IdentityBasis.NOT_NAMED,
    resident_name: str = "",
    resident_address: str = "",
    identity_reason: str = "",
    free_text: str = "",
    base_url: str = "",
    now: datetime | None = None,
) -> Referral:
    """A caretaker's referral (``wellbeing.create_referral`` on ``department``); the social
    workers who may handle it get "a new referral" by e-mail."""
    require(actor, Perm.CREATE_REFERRAL, department)
    chosen = list(dict.fromkeys(observations))
    if not chosen:
        raise DomainError(_("Choose at least one thing you noticed."))
    unknown = [o for o in chosen if o not in Observation.values]
    if unknown:
        raise DomainError(_("Unknown observation: %(value)s.") % {"value": ", ".join(unknown)})
    if urgency not in Urgency.values:
        raise DomainError(_("Choose how urgent it is."))
    name, address = resident_name.strip(), resident_address.strip()
    reason, text = identity_reason.strip(), free_text.strip()
    _check_identity(
        identity_basis=identity_basis,
        name=name,
        address=address,
        reason=reason,
    )
    _check_length(text, MAX_FREE_TEXT, str(_("The text")))
    _needs_keys(name, address, reason, text)
    moment = _now(now)
    referral = Referral(
        organisation_id=department.organisation_id,
        department=department,
        referred_by=actor if isinstance(actor, User) else None,
        created_at=moment,
        last_activity_at=moment,
        observations=chosen,
        urgency=urgency,
        child_affected=child_affected,
        consent_to_contact=consent_to_contact,
        identity_basis=identity_basis,
        legal_basis=LEGAL_BASIS[IdentityBasis(identity_basis)],
    )
    crypto.set_identity(referral, name=name, address=address)
    crypto.set_sealed(referral, "identity_reason", reason)
    crypto.set_sealed(referral, "free_text", text)
    referral.save()
    log_action(
        actor=actor,
        action="wellbeing.create",
        organisation=department.organisation,
        obj=referral,
        data={"urgency": urgency, "child": child_affected, "named": identity_basis},
    )
    notify.notify_new_referral(social_workers_for(referral), base_url=base_url)
    return referral


def _locked(actor: Actor, referral: Referral) -> Referral:
    """The referral, locked for the change, if ``actor`` handles it (else ``NotFound``)."""
    require_access(actor, referral, Access.FULL)
    return Referral.objects.select_for_update().select_related("organisation").get(pk=referral.pk)


def _open(referral: Referral) -> None:
    if referral.status == ReferralStatus.CLOSED:
        raise DomainError(_("The referral is closed."))


def _event(
    referral: Referral, *, kind: str, actor: Actor, text: str, moment: datetime
) -> ReferralEvent:
    _needs_keys(text)
    event = ReferralEvent(
        referral=referral,
        kind=kind,
        by=actor if isinstance(actor, User) else None,
        at=moment,
    )
    crypto.set_sealed(event, "text", text)
    event.save()
    return event


def _take(referral: Referral, actor: Actor, moment: datetime) -> None:
    referral.status = ReferralStatus.IN_PROGRESS
    referral.assigned_to = actor if isinstance(actor, User) else None
    referral.last_activity_at = moment
    _event(referral, kind=EventKind.TAKEN, actor=actor, text="", moment=moment)
    log_action(
        actor=actor, action="wellbeing.take", organisation=referral.organisation, obj=referral
    )


@transaction.atomic
def referral_take(*, actor: Actor, referral: Referral, now: datetime | None = None) -> Referral:
    """A social worker takes a received referral (it is then being handled, by them)."""
    referral = _locked(actor, referral)
    _open(referral)
    if referral.status != ReferralStatus.RECEIVED and referral.assigned_to_id is not None:
        raise DomainError(_("The referral is already being handled; reassign it instead."))
    _take(referral, actor, _now(now))
    referral.save(update_fields=["status", "assigned_to", "last_activity_at"])
    return referral


@transaction.atomic
def referral_record(
    *, actor: Actor, referral: Referral, kind: str, text: str, now: datetime | None = None
) -> ReferralEvent:
    """Record a contact, an action or a note (encrypted, never shown to the caretaker). A
    referral not yet taken is taken by whoever records the first step."""
    if kind not in RECORDABLE:
        raise DomainError(_("Choose a contact, an action or a note."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write what happened."))
    _check_length(text, MAX_NOTE, str(_("The text")))
    referral = _locked(actor, referral)
    _open(referral)
    moment = _now(now)
    if referral.status == ReferralStatus.RECEIVED:
        _take(referral, actor, moment)
    event = _event(referral, kind=kind, actor=actor, text=text, moment=moment)
    referral.last_activity_at = moment
    referral.save(update_fields=["status", "assigned_to", "last_activity_at"])
    log_action(
        actor=actor,
        action="wellbeing.record",
        organisation=referral.organisation,
        obj=referral,
        data={"kind": kind},
    )
    return event


@transaction.atomic
def referral_reassign(
    *,
    actor: Actor,
    referral: Referral,
    to: User,
    base_url: str = "",
    now: datetime | None = None,
) -> Referral:
    """Give the referral to another social worker (e.g. when one is away); they are told."""
    referral = _locked(actor, referral)
    _open(referral)
    if not may_handle(to, referral):
        raise DomainError(_("Choose one of the social workers for this department."))
    moment = _now(now)
    referral.assigned_to = to
    if referral.status == ReferralStatus.RECEIVED:
        referral.status = ReferralStatus.IN_PROGRESS
    referral.last_activity_at = moment
    referral.save(update_fields=["status", "assigned_to", "last_activity_at"])
    # The step names the new social worker, sealed like every step's text (when no key is
    # set, the audit entry alone says to whom).
    named = (to.full_name or to.email) if settings.LOKALSAMFUND_FIELD_KEYS else ""
    _event(referral, kind=EventKind.REASSIGNED, actor=actor, text=named, moment=moment)
    log_action(
        actor=actor,
        action="wellbeing.reassign",
        organisation=referral.organisation,
        obj=referral,
        data={"to": to.pk},
    )
    if to.pk != getattr(actor, "pk", None):
        notify.notify_assigned(to, base_url=base_url)
    return referral


@transaction.atomic
def referral_close(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    note: str = "",
    now: datetime | None = None,
) -> Referral:
    """Close with an outcome (the retention period runs from now)."""
    if outcome not in Outcome.values:
        raise DomainError(_("Choose the outcome."))
    note = note.strip()
    _check_length(note, MAX_NOTE, str(_("The text")))
    referral = _locked(actor, referral)
    _open(referral)
    moment = _now(now)
    if referral.assigned_to_id is None and isinstance(actor, User):
        referral.assigned_to = actor
    referral.status = ReferralStatus.CLOSED
    referral.outcome = outcome
    referral.closed_at = moment
    referral.last_activity_at = moment
    referral.save(
        update_fields=["status", "outcome", "closed_at", "assigned_to", "last_activity_at"]
    )
    _event(referral, kind=EventKind.CLOSED, actor=actor, text=note, moment=moment)
    log_action(
        actor=actor,
        action="wellbeing.close",
        organisation=referral.organisation,
        obj=referral,
        data={"outcome": outcome},
    )
    return referral
