"""Who may see which referral: the one place that decides (pages, API and services ask here).

- A **social worker** (``wellbeing.handle_referrals``) of the referral's organisation, of its
  department when the membership is limited to departments: everything (``Access.FULL``).
- The **referring caretaker**, while still allowed to refer in that department: the status only
  (``Access.STATUS``), never the social workers' notes, the identity or the free text.
- The **data protection contact** (``wellbeing.referral_rights``) reaches referrals only
  through the rights pages (``services/rights.py``, which ask ``may_answer_rights``), not
  through these.
- Everyone else (boards, residents, other departments' staff, other organisations, the
  organisation's administrators, platform operators as such) gets ``Access.NONE``: pages and
  the API answer exactly as for a reference that does not exist (404), never "forbidden".

Superusers get no access from being superusers: referrals are for the organisation's named
social workers (docs/wellbeing.md).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import Forbidden, NotFound
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import SYSTEM, Actor, Perm

from .models import Referral

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


class Access(IntEnum):
    NONE = 0
    STATUS = 1
    FULL = 2


def _member(actor: Actor | None) -> bool:
    """A logged-in, active user who is not acting as a platform operator."""
    return (
        actor is not None
        and actor is not SYSTEM
        and bool(getattr(actor, "is_authenticated", False))
        and bool(getattr(actor, "is_active", False))
        and not getattr(actor, "is_superuser", False)
    )


def may_handle(actor: Actor | None, referral: Referral) -> bool:
    """Is ``actor`` one of the social workers for ``referral`` (or the system)?"""
    if actor is SYSTEM:
        return True
    if not _member(actor):
        return False
    return permissions.has_perm(actor, Perm.HANDLE_REFERRALS, referral)  # type: ignore[arg-type]


def access_to(actor: Actor | None, referral: Referral) -> Access:
    if may_handle(actor, referral):
        return Access.FULL
    if (
        _member(actor)
        and referral.referred_by_id is not None
        and referral.referred_by_id == getattr(actor, "pk", None)
        and permissions.has_perm(actor, Perm.CREATE_REFERRAL, referral)  # type: ignore[arg-type]
    ):
        return Access.STATUS
    return Access.NONE


def not_found() -> NotFound:
    """The one answer for a referral someone may not see and one that does not exist."""
    return NotFound(_("No such referral."))


def require_access(actor: Actor | None, referral: Referral, needed: Access) -> Access:
    """The actor's access, or ``NotFound`` when it is less than ``needed``."""
    access = access_to(actor, referral)
    if access < needed:
        raise not_found()
    return access


def may_answer_rights(actor: Actor | None, target: object) -> bool:
    """May ``actor`` answer rights requests about referrals of ``target`` (an organisation or a
    referral): the organisation's data protection contact, or the system. A platform operator
    (superuser) is not a data protection contact and gets nothing here either."""
    if actor is SYSTEM:
        return True
    return _member(actor) and permissions.has_perm(actor, Perm.REFERRAL_RIGHTS, target)  # type: ignore[arg-type]


def require_rights(actor: Actor | None, target: object) -> None:
    """``Forbidden`` unless ``may_answer_rights``."""
    if not may_answer_rights(actor, target):
        raise Forbidden(_("You may not do this for %(target)s.") % {"target": target})


def may_refer(actor: Actor | None) -> bool:
    """May ``actor`` refer in at least one department (for menus)?"""
    return _member(actor) and permissions.has_any(actor, Perm.CREATE_REFERRAL)  # type: ignore[arg-type]


def may_handle_any(actor: Actor | None) -> bool:
    """Is ``actor`` a social worker somewhere (for menus)?"""
    return _member(actor) and permissions.has_any(actor, Perm.HANDLE_REFERRALS)  # type: ignore[arg-type]


def departments_to_refer(actor: Actor | None) -> QuerySet[Department]:
    if not _member(actor):
        return Department.objects.none()
    return permissions.departments_for(actor, Perm.CREATE_REFERRAL)  # type: ignore[arg-type]


def handled_by(actor: Actor | None) -> QuerySet[Referral]:
    """Every referral ``actor`` handles as a social worker (the queue's scope)."""
    if actor is SYSTEM:
        return Referral.objects.all()
    if not _member(actor):
        return Referral.objects.none()
    departments = permissions.departments_for(actor, Perm.HANDLE_REFERRALS)  # type: ignore[arg-type]
    return Referral.objects.filter(department__in=departments)


def referred_by(actor: Actor | None) -> QuerySet[Referral]:
    """The referrals ``actor`` made that they may still follow (status only)."""
    if not _member(actor):
        return Referral.objects.none()
    user: User = actor  # type: ignore[assignment]
    departments = permissions.departments_for(user, Perm.CREATE_REFERRAL)
    return Referral.objects.filter(Q(referred_by=user) & Q(department__in=departments))


def social_workers_for(referral: Referral) -> QuerySet[User]:
    """The active social workers who may handle ``referral`` (whom to notify or assign)."""
    return permissions.users_with(Perm.HANDLE_REFERRALS, referral).filter(is_superuser=False)
