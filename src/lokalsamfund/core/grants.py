"""Granting a role that reads the survey's free text (the coordinator's): out of the
organisation administrator's own reach, audited, and told to the other coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import permissions
from .audit import log_action
from .models import AuditEntry, Membership, Organisation, Role, User
from .permissions import Perm

if TYPE_CHECKING:
    from lokalsamfund.core.permissions import Actor

ACTION = "core.free_text_granted"
NOTICE_DAYS = 30


def free_text_grant_recorded(*, actor: Actor, membership: Membership) -> None:
    """Record that ``membership`` gives its user the survey's free text: an audit entry and
    an e-mail (Danish) to the organisation's other coordinators, who also see a notice on
    their start page for ``NOTICE_DAYS`` days. Call inside the granting transaction."""
    if not permissions.role_grants(membership.role, Perm.VIEW_FREE_TEXT):
        return
    user = membership.user
    organisation = membership.organisation
    log_action(
        actor=actor,
        action=ACTION,
        organisation=organisation,
        obj=membership,
        data={"user": user.pk, "role": membership.role},
    )
    recipients = list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.COORDINATOR,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    by = actor.get_full_name() if isinstance(actor, User) else "system"
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New reader of the survey's free text in %(organisation)s") % {
            "organisation": organisation.name
        }
        body = _(
            "Hello,\n\n%(by)s has given %(name)s the role %(role)s in %(organisation)s. The "
            "role reads the free text of the surveys.\n\nIf this is not as agreed, tell "
            "your organisation's administrators."
        ) % {
            "by": by,
            "name": user.get_full_name(),
            "role": membership.get_role_display(),
            "organisation": organisation.name,
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


@dataclass(frozen=True)
class GrantNotice:
    organisation: Organisation
    at: datetime
    by: str
    person: str


def grant_notices_for(user: User, *, now: datetime | None = None) -> list[GrantNotice]:
    """Recent free-text grants in the organisations where ``user`` is a coordinator, other
    than to ``user`` (for the start page)."""
    now = now or timezone.now()
    organisations = [
        m.organisation for m in Membership.objects.filter(user=user, role=Role.COORDINATOR)
    ]
    if not organisations:
        return []
    entries = (
        AuditEntry.objects.filter(
            action=ACTION, organisation__in=organisations, at__gte=now - timedelta(days=NOTICE_DAYS)
        )
        .select_related("organisation", "actor")
        .order_by("-at")[:20]
    )
    people = {
        u.pk: u.get_full_name()
        for u in User.objects.filter(pk__in=[e.data.get("user") for e in entries])
    }
    return [
        GrantNotice(
            organisation=e.organisation,  # type: ignore[arg-type]
            at=e.at,
            by=e.actor.get_full_name() if e.actor else e.actor_label,
            person=people.get(e.data.get("user"), ""),
        )
        for e in entries
        if e.data.get("user") != user.pk
    ]
