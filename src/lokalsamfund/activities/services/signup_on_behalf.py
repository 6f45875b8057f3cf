"""Sign-up on behalf (tilmelding for andre): an organiser, or staff with
``activities.sign_up_others`` (coordinators, caretakers), signs up a resident who phoned in,
with a name and a phone number or an e-mail address. Places and the waitlist:
``signup_places``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Perm

from .. import permissions as rules
from ..models import Activity, Occurrence, SignUp, SignUpChannel
from . import signup_mail
from .signup_places import SignupResult, _locked_open, _seat, _valid_email, new_token

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.permissions import Actor


def may_sign_up_others(user: User | AnonymousUser, activity: Activity) -> bool:
    """Organisers, those who manage the activity, and staff with ``activities.sign_up_others``
    on one of its departments (coordinators, caretakers)."""
    if rules.may_manage(user, activity):
        return True
    return any(
        permissions.has_perm(user, Perm.SIGN_UP_OTHERS, d) for d in activity.departments.all()
    )


def _require_sign_up_others(actor: Actor, activity: Activity) -> None:
    if actor is SYSTEM or (
        isinstance(actor, User) and actor.is_authenticated and rules.may_manage(actor, activity)
    ):
        return
    departments = list(activity.departments.all())
    target = next(
        (
            d
            for d in departments
            if isinstance(actor, User) and permissions.has_perm(actor, Perm.SIGN_UP_OTHERS, d)
        ),
        departments[0] if departments else activity.organisation,
    )
    permissions.require(actor, Perm.SIGN_UP_OTHERS, target)


def signup_on_behalf(
    *,
    occurrence: Occurrence,
    actor: Actor,
    name: str,
    phone: str = "",
    email: str = "",
    places: int = 1,
    now: datetime | None = None,
) -> SignupResult:
    """Sign up a resident who phoned in (name and phone or e-mail), by an organiser or staff
    with ``activities.sign_up_others``. Confirmed at once (or on the waitlist); with an e-mail
    address the resident gets the confirmation and a link to cancel."""
    now = now or timezone.now()
    _require_sign_up_others(actor, occurrence.activity)
    name = " ".join((name or "").split())
    phone = " ".join((phone or "").split())
    email = (email or "").strip()
    if not name:
        raise DomainError(_("Name: write the participant's name."))
    if len(name) > 200 or len(phone) > 40:
        raise DomainError(_("Name or phone is too long."))
    if not phone and not email:
        raise DomainError(_("Give a phone number or an e-mail address."))
    if email:
        email = _valid_email(email)
    with transaction.atomic():
        occurrence = _locked_open(occurrence, places, now)
        signup = SignUp(
            occurrence=occurrence,
            name=name,
            phone=phone,
            email=email,
            places=places,
            channel=SignUpChannel.STAFF,
            created_by=actor if isinstance(actor, User) else None,
            language=settings.LANGUAGE_CODE,
            created_at=now,
        )
        _seat(occurrence, signup, actor=actor, action="activities.signup_on_behalf")
        token = ""
        if email:
            token = new_token(signup)
            signup_mail.placed(signup, token=token)
    return SignupResult(signup, token)
