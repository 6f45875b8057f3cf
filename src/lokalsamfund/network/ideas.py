"""The idea bank: services (write) and selectors (read). Every organisation of the network with
``network.ideas`` reads every idea; an idea is posted for one's own organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Actor, Perm

from .models import DepartmentKind, Idea, IdeaOrigin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

FIELDS = (
    "title",
    "problem",
    "tried",
    "place",
    "activity_type",
    "department_kind",
    "cost_dkk",
    "reach",
    "results",
    "contact",
)


def idea_create(
    *,
    actor: Actor,
    organisation: Organisation,
    department: Department | None = None,
    **fields: Any,
) -> Idea:
    """Post an idea for ``organisation``, optionally naming the department it came from (one
    of the organisation's: where the organisation shares its participation figures, the idea
    then shows that department's realised reach)."""
    permissions.require(actor, Perm.NETWORK_IDEAS, organisation)
    if department is not None and department.organisation_id != organisation.pk:
        raise DomainError(_("The department does not belong to the organisation."))
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields of an idea."))
    for required in ("title", "problem", "tried", "contact"):
        if not str(fields.get(required) or "").strip():
            raise DomainError(_("Give a title, the problem, what was tried and a contact."))
    if fields.get("department_kind") and fields["department_kind"] not in DepartmentKind.values:
        raise DomainError(_("Choose a kind of housing."))
    with transaction.atomic():
        idea = Idea.objects.create(
            organisation=organisation,
            created_by=actor if isinstance(actor, User) else None,
            **fields,
        )
        if department is not None:
            IdeaOrigin.objects.create(idea=idea, department=department)
        log_action(actor=actor, action="network.idea_created", organisation=organisation, obj=idea)
    return idea


def may_read(user: User | AnonymousUser) -> bool:
    """Those who post ideas, and everyone who takes part in the network (network-only members
    from outside the sector too)."""
    return permissions.has_any(user, Perm.NETWORK_IDEAS) or permissions.has_any(
        user, Perm.NETWORK_TAKE_PART
    )


def ideas_for(
    user: User | AnonymousUser,
    *,
    activity_type: str = "",
    department_kind: str = "",
    text: str = "",
) -> QuerySet[Idea]:
    """The ideas ``user`` may read, searched by activity type, kind of housing and text."""
    if not may_read(user):
        raise Forbidden(_("You may not read the network's idea bank."))
    found = Idea.objects.select_related("organisation", "origin__department")
    if activity_type:
        found = found.filter(activity_type=activity_type)
    if department_kind:
        found = found.filter(department_kind=department_kind)
    if text.strip():
        words = text.strip()
        found = found.filter(
            Q(title__icontains=words) | Q(problem__icontains=words) | Q(tried__icontains=words)
        )
    return found


def idea_for(user: User | AnonymousUser, pk: int) -> Idea | None:
    if not may_read(user):
        raise Forbidden(_("You may not read the network's idea bank."))
    return Idea.objects.select_related("organisation", "origin__department").filter(pk=pk).first()
