"""/api/v1/referrals: caretakers' concern referrals (wellbeing). Create (caretakers); list
(social workers: their queue without personal fields; caretakers: their own, status only);
read one (audit-logged like the page: everything for a social worker, the status for the
referring caretaker); take, record a step, reassign and close (social workers). Anyone else
gets the same 404 as for a reference that does not exist. No other endpoint shows referrals."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, User
from lokalsamfund.wellbeing import permissions, selectors
from lokalsamfund.wellbeing.models import (
    IdentityBasis,
    Observation,
    Outcome,
    Referral,
    Urgency,
)
from lokalsamfund.wellbeing.services import referrals as services
from lokalsamfund.wellbeing.services.referrals import MAX_FREE_TEXT, MAX_IDENTITY, MAX_NOTE

router = Router(tags=["wellbeing"])

Status = Literal["received", "in_progress", "closed"]


class ErrorOut(Schema):
    detail: str


class ReferralIn(Schema):
    department: str = Field(..., description="Department code, e.g. A1.", examples=["A1"])
    organisation: str | None = Field(None, description="Organisation short name (if ambiguous).")
    observations: list[str] = Field(
        ..., min_length=1, description="Codes: " + ", ".join(Observation.values)
    )
    urgency: str = Field(..., description="One of: " + ", ".join(Urgency.values))
    child_affected: bool = False
    consent_to_contact: bool = False
    identity_basis: str = Field(
        IdentityBasis.NOT_NAMED.value, description="One of: " + ", ".join(IdentityBasis.values)
    )
    resident_name: str = Field("", max_length=MAX_IDENTITY)
    resident_address: str = Field("", max_length=MAX_IDENTITY)
    identity_reason: str = Field("", max_length=MAX_FREE_TEXT)
    free_text: str = Field("", max_length=MAX_FREE_TEXT, description="No diagnoses.")


class StatusOut(Schema):
    """What the referring caretaker sees."""

    reference: str
    department: str
    created_at: datetime
    status: Status


class SummaryOut(StatusOut):
    """A queue entry: no personal field."""

    urgency: str
    child_affected: bool
    same_day: bool
    observations: list[str]
    assigned_to: str | None
    outcome: str


class StepOut(Schema):
    kind: str
    text: str
    by: str | None
    at: datetime


class ReferralOut(SummaryOut):
    consent_to_contact: bool
    identity_basis: str
    legal_basis: str
    resident_name: str
    resident_address: str
    identity_reason: str
    free_text: str
    referred_by: str | None
    closed_at: datetime | None
    steps: list[StepOut]


class StepIn(Schema):
    kind: Literal["contact", "action", "note"]
    text: str = Field(..., min_length=1, max_length=MAX_NOTE)


class ReassignIn(Schema):
    to: str = Field(..., description="The social worker's e-mail address.")


class CloseIn(Schema):
    outcome: str = Field(..., description="One of: " + ", ".join(Outcome.values))
    note: str = Field("", max_length=MAX_NOTE)


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _status(referral: Referral) -> StatusOut:
    return StatusOut(
        reference=referral.reference,
        department=referral.department.code,
        created_at=referral.created_at,
        status=referral.status,  # type: ignore[arg-type]
    )


def _summary(referral: Referral) -> SummaryOut:
    return SummaryOut(
        **_status(referral).dict(),
        urgency=referral.urgency,
        child_affected=referral.child_affected,
        same_day=selectors.is_same_day(referral),
        observations=list(referral.observations),
        assigned_to=_email(referral.assigned_to),
        outcome=referral.outcome,
    )


def _department(request: HttpRequest, code: str, organisation: str | None) -> Department:
    departments = permissions.departments_to_refer(request.user).filter(code__iexact=code)
    if organisation:
        departments = departments.filter(organisation__slug=organisation)
    found = list(departments[:2])
    if len(found) != 1:
        raise DomainError(
            _("No department %(code)s that you may refer in.") % {"code": code}
            if not found
            else _("Several departments are called %(code)s: name the organisation.")
            % {"code": code}
        )
    return found[0]


@router.post(
    "/referrals",
    response={201: StatusOut, 400: ErrorOut, 403: ErrorOut},
    summary="Pass on a concern for a resident (caretakers)",
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> HttpStatus:
    department = _department(request, payload.department, payload.organisation)
    referral = services.referral_create(
        actor=request.user,
        department=department,
        observations=payload.observations,
        urgency=payload.urgency,
        child_affected=payload.child_affected,
        consent_to_contact=payload.consent_to_contact,
        identity_basis=payload.identity_basis,
        resident_name=payload.resident_name,
        resident_address=payload.resident_address,
        identity_reason=payload.identity_reason,
        free_text=payload.free_text,
        base_url=request.build_absolute_uri("/"),
    )
    return HttpStatus(201, _status(referral))


@router.get(
    "/referrals",
    response={200: list[SummaryOut] | list[StatusOut], 400: ErrorOut},
    summary="Your queue (social workers) or your own referrals, status only (caretakers)",
    description="scope=queue: open referrals you handle, by urgency (closed=true: closed "
    "ones); scope=mine: those you passed on. Default: queue for social workers, else mine. "
    "No personal field in either list.",
)
def referral_list(
    request: HttpRequest,
    scope: Literal["queue", "mine"] | None = None,
    closed: bool = False,
) -> list[SummaryOut] | list[StatusOut]:
    if scope is None:
        scope = "queue" if permissions.may_handle_any(request.user) else "mine"
    if scope == "queue":
        return [_summary(r) for r in selectors.queue_for(request.user, closed=closed)[:500]]
    return [_status(r) for r in selectors.referrals_made_by(request.user)[:500]]


@router.get(
    "/referrals/{reference}",
    response={200: ReferralOut | StatusOut, 404: ErrorOut},
    summary="One referral (every read is recorded in the audit log)",
)
def referral_detail(request: HttpRequest, reference: str) -> ReferralOut | StatusOut:
    read = selectors.referral_for_reading(request.user, reference, surface="api")
    referral = read.referral
    if not read.full:
        return _status(referral)
    return ReferralOut(
        **_summary(referral).dict(),
        consent_to_contact=referral.consent_to_contact,
        identity_basis=referral.identity_basis,
        legal_basis=referral.legal_basis,
        resident_name=read.resident_name,
        resident_address=read.resident_address,
        identity_reason=read.identity_reason,
        free_text=read.free_text,
        referred_by=_email(referral.referred_by),
        closed_at=referral.closed_at,
        steps=[StepOut(kind=s.kind, text=s.text, by=_email(s.by), at=s.at) for s in read.steps],
    )


@router.post(
    "/referrals/{reference}/take",
    response={200: SummaryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Take a referral (social workers)",
)
def referral_take(request: HttpRequest, reference: str) -> SummaryOut:
    referral = selectors.referral_for_handling(request.user, reference)
    return _summary(services.referral_take(actor=request.user, referral=referral))


@router.post(
    "/referrals/{reference}/steps",
    response={201: SummaryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Record a contact, an action or a note (social workers)",
)
def referral_step(request: HttpRequest, reference: str, payload: StepIn) -> HttpStatus:
    referral = selectors.referral_for_handling(request.user, reference)
    services.referral_record(
        actor=request.user, referral=referral, kind=payload.kind, text=payload.text
    )
    referral.refresh_from_db()
    return HttpStatus(201, _summary(referral))


@router.post(
    "/referrals/{reference}/reassign",
    response={200: SummaryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Give the referral to another social worker",
)
def referral_reassign(request: HttpRequest, reference: str, payload: ReassignIn) -> SummaryOut:
    referral = selectors.referral_for_handling(request.user, reference)
    to = permissions.social_workers_for(referral).filter(email__iexact=payload.to.strip()).first()
    if to is None:
        raise DomainError(_("Choose one of the social workers for this department."))
    return _summary(
        services.referral_reassign(
            actor=request.user, referral=referral, to=to, base_url=request.build_absolute_uri("/")
        )
    )


@router.post(
    "/referrals/{reference}/close",
    response={200: SummaryOut, 400: ErrorOut, 404: ErrorOut},
    summary="Close with an outcome (social workers)",
)
def referral_close(request: HttpRequest, reference: str, payload: CloseIn) -> SummaryOut:
    referral = selectors.referral_for_handling(request.user, reference)
    return _summary(
        services.referral_close(
            actor=request.user, referral=referral, outcome=payload.outcome, note=payload.note
        )
    )
