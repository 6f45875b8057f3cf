"""/api/v1 endpoints of the activities domain: sign-up, cancellation and the staff's sign-up
on behalf of a resident who phoned in.

Thin, as api/bookings.py: the occurrence must be visible to the caller (404 otherwise), then
the sign-up service decides; domain errors become JSON ``{"detail": ...}`` with their status
(400 closed or invalid, 403 not allowed, 409 full or already signed up).
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lokalsamfund.activities import selectors_signups as selectors
from lokalsamfund.activities.models import Occurrence, SignUp
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.models import User

router = Router(tags=["activities"])


class SignUpIn(Schema):
    places: int = Field(1, ge=1, le=services.MAX_PLACES)


class OnBehalfIn(Schema):
    name: str = Field(min_length=1, max_length=200, examples=["Inger Hansen"])
    phone: str = Field("", max_length=40, examples=["12 34 56 78"])
    email: str = Field("", max_length=254)
    places: int = Field(1, ge=1, le=services.MAX_PLACES)


class SignUpOut(Schema):
    id: int
    occurrence: int
    activity: int
    title: str
    start: datetime
    end: datetime
    status: str
    places: int
    waitlist_position: int | None
    channel: str


class ErrorOut(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _out(signup: SignUp) -> SignUpOut:
    occurrence = signup.occurrence
    return SignUpOut(
        id=signup.pk,
        occurrence=occurrence.pk,
        activity=occurrence.activity_id,
        title=occurrence.activity.title,
        start=timezone.localtime(occurrence.starts_at),
        end=timezone.localtime(occurrence.ends_at),
        status=signup.status,
        places=signup.places,
        waitlist_position=signup.waitlist_position,
        channel=signup.channel,
    )


def _occurrence(request: HttpRequest, occurrence_id: int) -> Occurrence:
    occurrence = selectors.visible_occurrence(user=request.user, occurrence_id=occurrence_id)
    if occurrence is None:
        raise Http404
    return occurrence


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post(
    "/activities/occurrences/{occurrence_id}/signups",
    response={201: SignUpOut, **ERRORS},
    summary="Sign up (a place, or the waitlist when full)",
)
def signup_create(request: HttpRequest, occurrence_id: int, payload: SignUpIn) -> Status:
    occurrence = _occurrence(request, occurrence_id)
    result = services.signup_create(
        occurrence=occurrence,
        actor=_user(request),
        places=payload.places,
        language=getattr(request, "LANGUAGE_CODE", ""),
    )
    return Status(201, _out(result.signup))


@router.post(
    "/activities/occurrences/{occurrence_id}/signups/on-behalf",
    response={201: SignUpOut, **ERRORS},
    summary="Sign up a resident who phoned in (organisers, coordinators, caretakers)",
)
def signup_on_behalf(request: HttpRequest, occurrence_id: int, payload: OnBehalfIn) -> Status:
    occurrence = _occurrence(request, occurrence_id)
    if not selectors.may_see_names(request.user, occurrence):
        raise Http404
    result = services.signup_on_behalf(
        occurrence=occurrence,
        actor=_user(request),
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        places=payload.places,
    )
    return Status(201, _out(result.signup))


@router.post(
    "/activities/occurrences/{occurrence_id}/signups/cancel",
    response={200: SignUpOut, **ERRORS},
    summary="Cancel the caller's own sign-up (the waitlist moves up)",
)
def signup_cancel_own(request: HttpRequest, occurrence_id: int) -> SignUpOut:
    occurrence = _occurrence(request, occurrence_id)
    own = services.signup_of(occurrence=occurrence, user=request.user)
    if own is None:
        raise Http404
    return _out(services.signup_cancel(signup=own, actor=_user(request)))


@router.post(
    "/activity-signups/{signup_id}/cancel",
    response={200: SignUpOut, **ERRORS},
    summary="Cancel a sign-up (the participant, the organiser or staff)",
)
def signup_cancel(request: HttpRequest, signup_id: int) -> SignUpOut:
    signup = get_object_or_404(SignUp.objects.select_related("occurrence__activity"), pk=signup_id)
    user = _user(request)
    if signup.user_id != user.pk and not selectors.may_see_names(user, signup.occurrence):
        raise Http404
    return _out(services.signup_cancel(signup=signup, actor=user))


@router.get(
    "/activity-signups/mine",
    response=list[SignUpOut],
    summary="The caller's coming sign-ups",
)
def my_signups(request: HttpRequest) -> list[SignUpOut]:
    return [_out(s) for s in selectors.signups_of(_user(request))[:500]]
