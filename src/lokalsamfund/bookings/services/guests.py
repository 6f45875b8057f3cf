"""Accounts for neighbours and associations: registration with e-mail verification."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import (
    Association,
    Membership,
    NeighbourHousing,
    Organisation,
    Role,
    User,
)

from .joins import association_join_request_create
from .memberships import membership_create

VERIFY_SALT = "lokalsamfund.bookings.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3  # three days


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def send_verification(*, user: User, link_for: Callable[[str], str]) -> None:
    """E-mail the verification link (after commit)."""
    link = link_for(verification_token(user))
    subject = _("Confirm your e-mail address")
    body = _(
        "Hello %(name)s,\n\nconfirm your e-mail address to book common houses: %(link)s\n\n"
        "The link works for three days. If you did not create an account, ignore this e-mail."
    ) % {"name": user.get_short_name(), "link": link}
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def _send_account_exists(*, email: str, organisation: Organisation, reset_link: str) -> None:
    subject = _("You already have an account")
    body = _(
        "Hello,\n\nsomeone (perhaps you) tried to create an account at %(organisation)s with "
        "this e-mail address. You already have an account: log in with it, or choose a new "
        "password here: %(link)s\n\nIf it was not you, ignore this e-mail."
    ) % {"organisation": organisation.name, "link": reset_link}
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))


def guest_register(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    password: str,
    kind: str,
    link_for: Callable[[str], str],
    neighbour_housing: NeighbourHousing | None = None,
    home: str = "",
    association_name: str = "",
    association_cvr: str = "",
    reset_link: str = "",
) -> User | None:
    """Create the account of a neighbour (``kind="neighbour"``) or an association contact
    (``kind="association"``) in ``organisation`` and send the verification link. The account
    may book once the e-mail address is confirmed.

    For an address that has an account nothing is created and None is returned; an e-mail
    tells its owner to log in or reset the password (``reset_link``). Callers answer the
    same either way, so registration does not tell which addresses have accounts."""
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address.")) from None
    if not full_name:
        raise DomainError(_("Enter your name."))
    user = User(email=email, full_name=full_name[:200])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(str(m) for m in exc.messages)) from None
    association = None
    if kind == Role.NEIGHBOUR:
        if neighbour_housing is None or neighbour_housing.organisation_id != organisation.pk:
            raise DomainError(_("Choose the housing you live in."))
    elif kind == Role.ASSOCIATION:
        association_name = (association_name or "").strip()
        association_cvr = (association_cvr or "").strip()
        if not association_name:
            raise DomainError(_("Enter the association's name."))
        if association_cvr and not (len(association_cvr) == 8 and association_cvr.isdigit()):
            raise DomainError(_("A CVR number has exactly 8 digits."))
    else:
        raise DomainError(_("Choose whether you register as a neighbour or an association."))
    if User.objects.filter(email__iexact=email).exists():
        # The same answer as for a new address (no telling which addresses have accounts):
        # the owner of the address hears the rest by e-mail.
        _send_account_exists(email=email, organisation=organisation, reset_link=reset_link)
        return None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        join_request = None
        if kind == Role.ASSOCIATION:
            if association_cvr:
                association = Association.objects.filter(
                    organisation=organisation, cvr=association_cvr
                ).first()
            if association is not None:
                # An existing association: its contacts or the organisation confirm first.
                join_request = association_join_request_create(user=user, association=association)
            else:
                association = Association.objects.create(
                    organisation=organisation,
                    name=association_name[:200],
                    cvr=association_cvr,
                    email=email,
                )
        if join_request is None:
            membership_create(
                user=user,
                organisation=organisation,
                kind=kind,
                neighbour_housing=neighbour_housing,
                association=association,
                home=home,
            )
        log_action(
            actor=user,
            action="bookings.guest_register",
            organisation=organisation,
            obj=user,
            data={
                "kind": kind,
                "association": association.pk if association else None,
                "join_request": join_request.pk if join_request else None,
            },
        )
        send_verification(user=user, link_for=link_for)
    return user


def guest_verify(*, token: str) -> User:
    """Mark the e-mail address behind a verification link as confirmed."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("The link has expired. Log in to get a new one.")) from None
    except signing.BadSignature:
        raise DomainError(_("The link is not valid.")) from None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise DomainError(_("The link is not valid."))
    if not user.email_verified:
        with transaction.atomic():
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            membership = Membership.objects.filter(user=user).select_related("organisation").first()
            log_action(
                actor=user,
                action="bookings.guest_verify",
                organisation=membership.organisation if membership else None,
                obj=user,
            )
    return user
