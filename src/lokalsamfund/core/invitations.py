"""Invitations by e-mail: staff invite staff, and residents and board members to their
departments. The link carries a random token; only its keyed hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import permissions
from .audit import log_action
from .errors import Conflict, DomainError, Forbidden
from .grants import free_text_grant_recorded
from .models import (
    INVITATION_VALIDITY,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class InvitationNotValid(DomainError):
    """An unknown, used, revoked or expired token: one answer for all four."""

    status_code = 400


class LoginFirst(DomainError):
    """The invitation's e-mail address has an account: its owner logs in, then accepts."""

    status_code = 409


def _not_valid() -> InvitationNotValid:
    return InvitationNotValid(
        _("This invitation is not valid. Ask the person who invited you for a new one.")
    )


def token_hash(token: str) -> str:
    """The keyed hash of a token (HMAC-SHA256 with ``LOKALSAMFUND_HASH_KEY``)."""
    return hmac.new(
        settings.LOKALSAMFUND_HASH_KEY.encode(),
        f"invitation:{token}".encode(),
        hashlib.sha256,
    ).hexdigest()


def accept_path(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def _send(invitation: Invitation, token: str, base_url: str) -> None:
    """E-mail the link, in Danish, after commit."""
    base = (base_url or settings.LOKALSAMFUND_BASE_URL).rstrip("/")
    link = base + accept_path(token)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation to %(organisation)s") % {
            "organisation": invitation.organisation.name
        }
        body = _(
            "Hello,\n\n%(inviter)s has invited you to %(organisation)s as %(role)s.\n\n"
            "Accept the invitation here: %(link)s\n\n"
            "The link works until %(expires)s. If you did not expect this e-mail, ignore it."
        ) % {
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "link": link,
            "expires": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M"),
        }
    recipient = invitation.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def invitation_create(
    *,
    actor: User | AnonymousUser,
    organisation: Organisation,
    email: str,
    role: str,
    departments: Iterable[Department] = (),
    home: str = "",
    now: datetime | None = None,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``role`` in ``organisation`` and e-mail the link; returns the
    invitation and its token (shown nowhere else: only its hash is kept). A new invitation
    replaces an open one for the same address and role."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    departments = list(departments)
    home = " ".join((home or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("E-mail: enter a valid e-mail address.")) from None
    if role not in permissions.INVITABLE_ROLES:
        raise DomainError(_("Role: choose a role one can be invited to."))
    if any(d.organisation_id != organisation.pk for d in departments):
        raise DomainError(
            _("Departments: choose departments of %(organisation)s.")
            % {"organisation": organisation.name}
        )
    if role in permissions.DEPARTMENT_ROLES and not departments:
        raise DomainError(_("Departments: residents and board members need a department."))
    if len(home) > 200:
        raise DomainError(_("Home: at most 200 characters."))
    if not permissions.may_invite(actor, role, organisation, departments):
        raise Forbidden(_("You may not invite people to this role here."))
    if not permissions.may_grant(actor, role, email):
        raise Forbidden(
            _(
                "You cannot give yourself a role that reads the survey's free text: "
                "ask another administrator."
            )
        )
    if Membership.objects.filter(
        user__email__iexact=email, organisation=organisation, role=role
    ).exists():
        raise Conflict(_("E-mail: this person already has this role in the organisation."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = Invitation.objects.filter(
            organisation=organisation,
            email=email,
            role=role,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            home=home,
            token_hash=token_hash(token),
            invited_by=actor if actor.is_authenticated else None,
            created_at=now,
            expires_at=now + INVITATION_VALIDITY,
        )
        invitation.departments.set(departments)
        log_action(
            actor=actor,
            action="core.invitation_create",
            organisation=organisation,
            obj=invitation,
            data={
                "role": role,
                "departments": sorted(d.pk for d in departments),
                "replaced": replaced,
            },
        )
        _send(invitation, token, base_url)
    return invitation, token


def invitation_revoke(
    *, actor: User | AnonymousUser, invitation: Invitation, now: datetime | None = None
) -> Invitation:
    """Revoke an open invitation: its link stops working."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .get(pk=invitation.pk)
        )
        if not permissions.may_invite(
            actor, invitation.role, invitation.organisation, invitation.departments.all()
        ):
            raise Forbidden(_("You may not revoke this invitation."))
        if invitation.accepted_at is not None:
            raise Conflict(_("The invitation has been accepted: remove the role instead."))
        if invitation.revoked_at is None:
            invitation.revoked_at = now
            invitation.save(update_fields=["revoked_at"])
            log_action(
                actor=actor,
                action="core.invitation_revoke",
                organisation=invitation.organisation,
                obj=invitation,
            )
    return invitation


def invitation_for_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The open invitation of ``token``, else ``InvitationNotValid``."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None or not invitation.is_open(now):
        raise _not_valid()
    return invitation


def invitation_accept(
    *,
    token: str,
    full_name: str = "",
    password: str = "",
    user: User | AnonymousUser | None = None,
    now: datetime | None = None,
) -> User:
    """Accept an invitation: create the account (``full_name``, ``password``), or, when
    ``user`` is the logged-in owner of the invited address, give that account the role.
    An address that has an account must log in first (``LoginFirst``)."""
    now = now or timezone.now()
    account = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        invitation = invitation_for_token(token, now=now)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open(now):  # accepted or revoked meanwhile
            raise _not_valid()
        if account is not None:
            if account.email.lower() != invitation.email.lower():
                raise Forbidden(
                    _(
                        "This invitation is for another e-mail address. Log out, and open "
                        "the link again."
                    )
                )
        elif User.objects.filter(email__iexact=invitation.email).exists():
            raise LoginFirst(
                _("You already have an account with this e-mail address. Log in to accept.")
            )
        else:
            account = _new_account(invitation.email, full_name, password)
        if not isinstance(account, User):  # (for the type checker: an authenticated user)
            raise _not_valid()
        if invitation.invited_by is not None and not permissions.may_grant(
            invitation.invited_by, invitation.role, account.email
        ):
            raise Forbidden(_("You cannot give yourself a role that reads the survey's free text."))
        membership, created = _grant(invitation, account)
        if created:
            free_text_grant_recorded(
                actor=invitation.invited_by or permissions.SYSTEM, membership=membership
            )
        invitation.accepted_at = now
        invitation.accepted_by = account
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        log_action(
            actor=account,
            action="core.invitation_accept",
            organisation=invitation.organisation,
            obj=invitation,
            data={"role": invitation.role, "membership": membership.pk},
        )
        permissions.forget_cached_memberships(account)
    return account


def _new_account(email: str, full_name: str, password: str) -> User:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError(_("Name: enter your name."))
    if len(full_name) > 200:
        raise DomainError(_("Name: at most 200 characters."))
    account = User(email=email, full_name=full_name, email_verified=True)
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise DomainError(
            _("Password: %(problems)s") % {"problems": " ".join(str(m) for m in exc.messages)}
        ) from None
    account.set_password(password)
    account.save()
    return account


def _grant(invitation: Invitation, account: User) -> tuple[Membership, bool]:
    """The invited role on ``account``: a new membership, or the existing one of that role
    widened by the invitation's departments (none: the whole organisation)."""
    departments = list(invitation.departments.all())
    membership, created = Membership.objects.get_or_create(
        user=account, organisation=invitation.organisation, role=invitation.role
    )
    if invitation.home:
        membership.home = invitation.home
        membership.save(update_fields=["home"])
    if created or not departments:
        membership.departments.set(departments)
    elif membership.departments.exists():
        membership.departments.add(*departments)
    if invitation.role == Role.ORG_ADMIN and not account.is_staff:
        account.is_staff = True  # the back office is where administrators work
        account.save(update_fields=["is_staff"])
    return membership, created
