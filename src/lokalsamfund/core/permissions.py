"""The one permission module. Every view, API endpoint, command and admin page asks here.

A user's memberships give roles in organisations; a role grants permissions (``Perm``). A
membership limited to departments grants its permissions only for those departments; an
organisation-wide check needs a membership that is not limited. Superusers (platform
operators) may do everything.

Domains add permissions here, not in their own modules, so that the table of who may do what
stays in one place (docs/permissions.md is generated from it by the tests' check).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Department, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Perm(StrEnum):
    # core
    VIEW_ORGANISATION = "core.view_organisation"
    MANAGE_ORGANISATION = "core.manage_organisation"
    VIEW_AUDIT_LOG = "core.view_audit_log"
    # surveys
    MANAGE_SURVEYS = "surveys.manage"
    ENTER_PAPER_ANSWERS = "surveys.enter_paper"
    VIEW_SURVEY_RESULTS = "surveys.view_results"
    VIEW_PUBLISHED_SURVEY_SUMMARY = "surveys.view_published_summary"
    VIEW_FREE_TEXT = "surveys.view_free_text"
    # bookings
    BOOK_FACILITY = "bookings.book"
    BOOK_ON_BEHALF = "bookings.book_on_behalf"
    APPROVE_BOOKINGS = "bookings.approve"
    MANAGE_FACILITIES = "bookings.manage_facilities"
    VIEW_FACILITY_ACCOUNT = "bookings.view_account"
    # decisions
    MANAGE_PLANS = "decisions.manage"
    VIEW_PLANS = "decisions.view"
    # activities (green communities, participation)
    MANAGE_ACTIVITIES = "activities.manage"
    JOIN_ACTIVITIES = "activities.join"
    # wellbeing (caretakers' concern referrals)
    CREATE_REFERRAL = "wellbeing.create_referral"
    HANDLE_REFERRALS = "wellbeing.handle_referrals"


_ALL = frozenset(Perm)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ORG_ADMIN: _ALL - {Perm.VIEW_FREE_TEXT, Perm.HANDLE_REFERRALS, Perm.CREATE_REFERRAL},
    Role.COORDINATOR: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_AUDIT_LOG,
            Perm.MANAGE_SURVEYS,
            Perm.ENTER_PAPER_ANSWERS,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_PUBLISHED_SURVEY_SUMMARY,
            Perm.VIEW_FREE_TEXT,
            Perm.BOOK_FACILITY,
            Perm.BOOK_ON_BEHALF,
            Perm.APPROVE_BOOKINGS,
            Perm.VIEW_FACILITY_ACCOUNT,
            Perm.MANAGE_PLANS,
            Perm.VIEW_PLANS,
            Perm.MANAGE_ACTIVITIES,
            Perm.JOIN_ACTIVITIES,
            Perm.HANDLE_REFERRALS,
        }
    ),
    Role.CARETAKER: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.ENTER_PAPER_ANSWERS,
            Perm.BOOK_FACILITY,
            Perm.BOOK_ON_BEHALF,
            Perm.MANAGE_ACTIVITIES,
            Perm.JOIN_ACTIVITIES,
            Perm.CREATE_REFERRAL,
        }
    ),
    Role.BOARD_MEMBER: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_PUBLISHED_SURVEY_SUMMARY,
            Perm.BOOK_FACILITY,
            Perm.VIEW_FACILITY_ACCOUNT,
            Perm.VIEW_PLANS,
            Perm.JOIN_ACTIVITIES,
        }
    ),
    Role.RESIDENT: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_PUBLISHED_SURVEY_SUMMARY,
            Perm.BOOK_FACILITY,
            Perm.JOIN_ACTIVITIES,
        }
    ),
    Role.NEIGHBOUR: frozenset({Perm.BOOK_FACILITY, Perm.JOIN_ACTIVITIES}),
    Role.ASSOCIATION: frozenset({Perm.BOOK_FACILITY, Perm.JOIN_ACTIVITIES}),
}

STAFF_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.CARETAKER})


def _memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships with their departments, cached on the user object per request."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_lokalsamfund_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .prefetch_related("departments")
        )
        user._lokalsamfund_memberships = cached  # type: ignore[attr-defined]
    return cached


def _grants(membership: Membership, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(membership.role, frozenset())


def _department_ids(membership: Membership) -> set[int] | None:
    """None means: not limited to departments."""
    ids = {d.pk for d in membership.departments.all()}
    return ids or None


def _target_scope(target: Any) -> tuple[int, int | None]:
    """(organisation id, department id or None) of an Organisation, Department or object
    with ``organisation``/``department`` attributes."""
    if isinstance(target, Organisation):
        return target.pk, None
    if isinstance(target, Department):
        return target.organisation_id, target.pk
    department = getattr(target, "department", None)
    if isinstance(department, Department):
        return department.organisation_id, department.pk
    organisation_id = getattr(target, "organisation_id", None)
    if organisation_id is None:
        raise TypeError(f"Cannot tell the organisation of {target!r}")
    return organisation_id, None


def has_perm(user: User | AnonymousUser, perm: Perm, target: Any) -> bool:
    """May ``user`` do ``perm`` on ``target`` (an organisation, a department or an object that
    belongs to one)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    organisation_id, department_id = _target_scope(target)
    for membership in _memberships(user):
        if membership.organisation_id != organisation_id or not _grants(membership, perm):
            continue
        limited_to = _department_ids(membership)
        if limited_to is None or (department_id is not None and department_id in limited_to):
            return True
    return False


def require(user: User | AnonymousUser, perm: Perm, target: Any) -> None:
    """Raise PermissionDenied unless ``has_perm``."""
    if not has_perm(user, perm, target):
        raise PermissionDenied


def organisations_for(
    user: User | AnonymousUser, perm: Perm | None = None
) -> QuerySet[Organisation]:
    """Organisations where the user has any role (or ``perm`` on at least one department)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    ids = {m.organisation_id for m in _memberships(user) if perm is None or _grants(m, perm)}
    return Organisation.objects.filter(pk__in=ids)


def departments_for(
    user: User | AnonymousUser, perm: Perm, organisation: Organisation | None = None
) -> QuerySet[Department]:
    """Departments on which the user has ``perm``, optionally within one organisation."""
    qs = Department.objects.select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk__in=[])
    for membership in _memberships(user):
        if not _grants(membership, perm):
            continue
        limited_to = _department_ids(membership)
        if limited_to is None:
            condition |= Q(organisation_id=membership.organisation_id)
        else:
            condition |= Q(pk__in=limited_to)
    return qs.filter(condition)


def has_any(user: User | AnonymousUser, perm: Perm) -> bool:
    """Has the user ``perm`` anywhere (in some organisation or department)? For menus."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(_grants(m, perm) for m in _memberships(user))


def memberships_in(user: User | AnonymousUser, organisation_id: int) -> list[Membership]:
    """The user's memberships in one organisation, with their departments (from the
    per-request cache: no query once the user's permissions were asked for)."""
    return [m for m in _memberships(user) if m.organisation_id == organisation_id]


def roles_in(user: User | AnonymousUser, organisation: Organisation) -> set[str]:
    return {m.role for m in _memberships(user) if m.organisation_id == organisation.pk}


def is_staff_in(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation) & STAFF_ROLES) or bool(
        user.is_authenticated and user.is_superuser
    )


def forget_cached_memberships(user: User | AnonymousUser) -> None:
    """Call after changing a user's memberships within one request or test."""
    if hasattr(user, "_lokalsamfund_memberships"):
        del user._lokalsamfund_memberships
