"""Requests to join an existing association (foreningskontakt): create, confirm, decline.

Who decides is ``permissions.may_decide_association_join``: the association's contacts and
who approves bookings for its whole organisation. Anyone else gets "not found"."""

from __future__ import annotations

from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, NotFound
from lokalsamfund.core.models import Association, Membership, Role, User

from ..models import AssociationJoinRequest, JoinOutcome
from .memberships import membership_create


def _mail_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=True)
        )


def _contact_emails(association: Association) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__role=Role.ASSOCIATION,
                memberships__association=association,
            ).values_list("email", flat=True)
        )
    )


def association_join_request_create(
    *, user: User, association: Association, now: datetime | None = None
) -> AssociationJoinRequest:
    """Ask to become ``association``'s contact (in the caller's transaction). Grants nothing
    until confirmed; the association's contacts hear of it by e-mail."""
    join_request, created = AssociationJoinRequest.objects.get_or_create(
        association=association,
        user=user,
        outcome=JoinOutcome.PENDING,
        defaults={"created_at": now or timezone.now()},
    )
    if created:
        log_action(
            actor=user,
            action="bookings.association_join_request",
            organisation=association.organisation,
            obj=join_request,
            data={"association": association.pk},
        )
        _mail_after_commit(
            subject=_("Someone asks to become a contact of %(association)s")
            % {"association": association.name},
            body=_(
                "Hello,\n\n%(name)s asks to become a contact of %(association)s and book "
                "common houses for it. Log in and confirm or decline the request under "
                '"Association contacts".\n\nIf you do not know the person, decline.'
            )
            % {"name": user.get_full_name(), "association": association.name},
            recipients=_contact_emails(association),
        )
    return join_request


def _decidable(*, actor: User, pk: int) -> AssociationJoinRequest:
    join_request = (
        AssociationJoinRequest.objects.select_for_update()
        .select_related("association__organisation", "user")
        .filter(pk=pk)
        .first()
    )
    if join_request is None or not permissions.may_decide_association_join(
        actor, join_request.association
    ):
        raise NotFound(_("The request was not found."))
    if join_request.user_id == actor.pk:
        raise NotFound(_("The request was not found."))
    if join_request.outcome != JoinOutcome.PENDING:
        raise Conflict(_("The request has already been confirmed or declined."))
    return join_request


def _decide(
    *, join_request: AssociationJoinRequest, actor: User, outcome: str, now: datetime | None
) -> None:
    join_request.outcome = outcome
    join_request.decided_at = now or timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["outcome", "decided_at", "decided_by"])
    log_action(
        actor=actor,
        action=f"bookings.association_join_{outcome}",
        organisation=join_request.association.organisation,
        obj=join_request,
        data={"association": join_request.association_id, "user": join_request.user_id},
    )


def association_join_confirm(
    *, actor: User, pk: int, now: datetime | None = None
) -> AssociationJoinRequest:
    """Confirm request ``pk``: the person becomes the association's contact."""
    with transaction.atomic():
        join_request = _decidable(actor=actor, pk=pk)
        association = join_request.association
        person = join_request.user
        _decide(join_request=join_request, actor=actor, outcome=JoinOutcome.CONFIRMED, now=now)
        already = Membership.objects.filter(
            user=person, role=Role.ASSOCIATION, association=association
        ).exists()
        if not already:
            membership_create(
                user=person,
                organisation=association.organisation,
                kind=Role.ASSOCIATION,
                association=association,
            )
        _mail_after_commit(
            subject=_("You are now a contact of %(association)s")
            % {"association": association.name},
            body=_(
                "Hello %(name)s,\n\nyour request to become a contact of %(association)s is "
                "confirmed. Log in to book common houses for the association."
            )
            % {"name": person.get_short_name(), "association": association.name},
            recipients=[person.email],
        )
    return join_request


def association_join_decline(
    *, actor: User, pk: int, now: datetime | None = None
) -> AssociationJoinRequest:
    """Decline request ``pk``; the person is told by e-mail, not who declined."""
    with transaction.atomic():
        join_request = _decidable(actor=actor, pk=pk)
        association = join_request.association
        person = join_request.user
        _decide(join_request=join_request, actor=actor, outcome=JoinOutcome.DECLINED, now=now)
        _mail_after_commit(
            subject=_("Your request to join %(association)s was declined")
            % {"association": association.name},
            body=_(
                "Hello %(name)s,\n\nyour request to become a contact of %(association)s was "
                "declined. If you think this is a mistake, contact the association or "
                "%(organisation)s."
            )
            % {
                "name": person.get_short_name(),
                "association": association.name,
                "organisation": association.organisation.name,
            },
            recipients=[person.email],
        )
    return join_request
