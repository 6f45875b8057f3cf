"""Invitations by e-mail for tenancies with an address, through the core invitation service
(``core.invitations.invitation_create``): the resident role in the tenancy's department, the
home pre-set. The e-mails go out when the whole batch has been stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.invitations import invitation_create
from lokalsamfund.core.models import Organisation, Role
from lokalsamfund.core.permissions import Perm, require

from ..models import Tenancy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User

MAX_INVITATIONS_PER_REQUEST = 500


@dataclass
class InviteResult:
    invited: int = 0
    without_email: list[str] = field(default_factory=list)  # tenancy numbers
    skipped: list[str] = field(default_factory=list)  # "number: reason"


def tenancies_invite(
    *,
    actor: User | AnonymousUser,
    organisation: Organisation,
    tenancies: Sequence[Tenancy],
    base_url: str = "",
    now: dt.datetime | None = None,
) -> InviteResult:
    """Invite the tenancies' e-mail addresses as residents of their homes. Tenancies without
    an address are counted (they need a letter); an address that already has the resident
    role in the organisation is skipped with the reason."""
    require(actor, Perm.MANAGE_RESIDENTS, organisation)
    tenancies = list(tenancies)
    if not tenancies:
        raise DomainError(_("Choose at least one tenancy."))
    if len(tenancies) > MAX_INVITATIONS_PER_REQUEST:
        raise DomainError(
            _("At most %(max)s invitations at a time; choose a department or fewer tenancies.")
            % {"max": MAX_INVITATIONS_PER_REQUEST}
        )
    if any(t.organisation_id != organisation.pk for t in tenancies):
        raise DomainError(_("Choose tenancies of %(name)s.") % {"name": organisation.name})
    now = now or timezone.now()
    result = InviteResult()
    with transaction.atomic():
        for tenancy in tenancies:
            if tenancy.moved_out is not None:
                result.skipped.append(f"{tenancy.number}: {_('moved out')}")
                continue
            if not tenancy.has_email:
                result.without_email.append(tenancy.number)
                continue
            try:
                invitation_create(
                    actor=actor,
                    organisation=organisation,
                    email=tenancy.email,
                    role=Role.RESIDENT,
                    departments=[tenancy.department],
                    home=tenancy.home,
                    now=now,
                    base_url=base_url,
                )
            except Conflict as exc:
                result.skipped.append(f"{tenancy.number}: {exc.message}")
                continue
            result.invited += 1
            tenancy.invited_at = now
            tenancy.save(update_fields=["invited_at"])
        log_action(
            actor=actor,
            action="residents.invited",
            organisation=organisation,
            data={
                "invited": result.invited,
                "without_email": len(result.without_email),
                "skipped": len(result.skipped),
            },
        )
    return result
