"""The one permission module. Every view, API endpoint, command and admin page asks here.

A user's memberships give roles in organisations; a role grants permissions (``Perm``). A
membership limited to departments grants its permissions only for those departments; an
organisation-wide check needs a membership that is not limited. Superusers (platform
operators) may do everything.

Domains add permissions here, not in their own modules, so that the table of who may do what
stays in one place (docs/permissions.md is generated from it by the tests' check).

Services name who acts (``actor``): a user (anonymous visitors included), or ``SYSTEM`` for
what the platform does by itself (commands, scheduled tasks, demo loading). ``require`` has one
meaning everywhere: ``SYSTEM`` may do everything, a user what ``has_perm`` grants, and a
missing actor (``None``) nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypeAlias
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from .errors import Forbidden
from .models import (
    Association,
    Department,
    Membership,
    NeighbourHousing,
    Organisation,
    Role,
    User,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Perm(StrEnum):
    # core
    VIEW_ORGANISATION = "core.view_organisation"
    MANAGE_ORGANISATION = "core.manage_organisation"
    VIEW_AUDIT_LOG = "core.view_audit_log"
    MANAGE_RESIDENTS = "core.manage_residents"
    INVITE_RESIDENTS = "core.invite_residents"
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
    MANAGE_ACTIVITIES = "activities.manage"  # create (publish) and organise activities
    APPROVE_ACTIVITIES = "activities.approve"  # approve proposals, manage every activity
    SIGN_UP_OTHERS = "activities.sign_up_others"  # sign up a resident who phoned in
    VIEW_PARTICIPATION = "activities.view_participation"  # figures, through disclosure control
    JOIN_ACTIVITIES = "activities.join"
    # green communities: groups, plots, the season's allocation
    MANAGE_GREEN = "green.manage"
    # driften's hours on green work: record one's own; see each caretaker's hours (per person)
    LOG_DRIFTEN_HOURS = "green.log_driften_hours"
    VIEW_DRIFTEN_HOURS = "green.view_driften_hours"
    # wellbeing (caretakers' concern referrals)
    CREATE_REFERRAL = "wellbeing.create_referral"
    HANDLE_REFERRALS = "wellbeing.handle_referrals"
    # Rights requests about referrals (art. 15-17): find, export, rectify, erase.
    REFERRAL_RIGHTS = "wellbeing.referral_rights"
    # Counts of referrals per department and quarter, through disclosure control.
    VIEW_REFERRAL_STATISTICS = "wellbeing.view_statistics"
    # network: share a closed round's stored results with the network, stop sharing, set the
    # departments' shareable master data, export signed bundles (docs/network.md)
    SHARE_WITH_NETWORK = "network.share"
    # network: read the idea bank (every organisation's ideas) and post ideas of one's own
    # organisation; ideas are published deliberately, with a contact their author chooses
    NETWORK_IDEAS = "network.ideas"
    # network: take part in the network across organisations: read the idea bank, see the
    # project groups and development days, join groups, sign up (network-only members too)
    NETWORK_TAKE_PART = "network.take_part"
    # network: invite people from outside the organisation to the network (a network-only
    # role) and organise development days
    NETWORK_ORGANISE = "network.organise"


_ALL = frozenset(Perm)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # Referrals: only caretakers refer, only social workers handle, only the data protection
    # contact answers rights requests; the administrator sees none of them.
    Role.ORG_ADMIN: _ALL
    - {
        Perm.VIEW_FREE_TEXT,
        Perm.HANDLE_REFERRALS,
        Perm.CREATE_REFERRAL,
        Perm.REFERRAL_RIGHTS,
    },
    Role.COORDINATOR: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_AUDIT_LOG,
            Perm.MANAGE_RESIDENTS,
            Perm.INVITE_RESIDENTS,
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
            Perm.APPROVE_ACTIVITIES,
            Perm.SIGN_UP_OTHERS,
            Perm.VIEW_PARTICIPATION,
            Perm.JOIN_ACTIVITIES,
            Perm.MANAGE_GREEN,
            Perm.VIEW_REFERRAL_STATISTICS,
            Perm.SHARE_WITH_NETWORK,
            Perm.NETWORK_IDEAS,
            Perm.NETWORK_TAKE_PART,
            Perm.NETWORK_ORGANISE,
        }
    ),
    Role.CARETAKER: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.ENTER_PAPER_ANSWERS,
            Perm.BOOK_FACILITY,
            Perm.BOOK_ON_BEHALF,
            Perm.MANAGE_ACTIVITIES,
            Perm.SIGN_UP_OTHERS,
            Perm.VIEW_PARTICIPATION,
            Perm.JOIN_ACTIVITIES,
            Perm.MANAGE_GREEN,
            Perm.LOG_DRIFTEN_HOURS,
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
            Perm.VIEW_PARTICIPATION,
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
    # The organisation's boligsocial medarbejdere: handle referrals (of their departments when
    # the membership is limited to some).
    Role.SOCIAL_WORKER: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.HANDLE_REFERRALS,
            Perm.VIEW_REFERRAL_STATISTICS,
            Perm.JOIN_ACTIVITIES,
        }
    ),
    Role.DATA_PROTECTION: frozenset({Perm.REFERRAL_RIGHTS}),
    Role.ASSOCIATION: frozenset({Perm.BOOK_FACILITY, Perm.JOIN_ACTIVITIES}),
    # Network-only members: the network's pages, ideas, development days and the project
    # groups they belong to; nothing of any organisation (see NETWORK_ROLES).
    Role.NETWORK_MEMBER: frozenset({Perm.NETWORK_TAKE_PART}),
}

# Roles whose membership without departments covers the whole organisation's departments
# (their start page lists every department; they book for their department as staff).
STAFF_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.CARETAKER})
# Roles whose memberships must name departments (an empty list would mean the whole
# organisation).
DEPARTMENT_ROLES = frozenset({Role.RESIDENT, Role.BOARD_MEMBER})
# Roles of the caretakers' referrals (wellbeing): given by the organisation's administrators,
# like staff roles; without departments they cover the whole organisation.
REFERRAL_ROLES = frozenset({Role.SOCIAL_WORKER, Role.DATA_PROTECTION})
# Roles of the network across organisations. Such a membership names the organisation that
# invited the person (whose administrators manage the account) but gives nothing of it: the
# role carries only network permissions, and it is left out of every answer about
# organisations (``organisations_for``, ``organisation_ids_for``, ``departments_for``,
# ``memberships_in``, ``roles_in``), so no domain that asks "where has this user a role?"
# shows a network-only member anything of the organisation.
NETWORK_ROLES = frozenset({Role.NETWORK_MEMBER})
# Roles one can be invited to by e-mail (neighbours and associations register themselves).
INVITABLE_ROLES = STAFF_ROLES | DEPARTMENT_ROLES | REFERRAL_ROLES | NETWORK_ROLES


def role_grants(role: str, perm: Perm) -> bool:
    """Does ``role`` carry ``perm`` (e.g. the coordinator role and the survey free text)?"""
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def may_grant(user: User | AnonymousUser, role: str, account_email: str) -> bool:
    """May ``user`` give ``role`` to the account with ``account_email``? A role that reads
    the survey's free text is never granted to oneself (an administrator would otherwise
    reach the free text by granting it): another administrator, or a platform operator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or not role_grants(role, Perm.VIEW_FREE_TEXT):
        return True
    return user.email.strip().lower() != (account_email or "").strip().lower()


def may_invite(
    user: User | AnonymousUser,
    role: str,
    organisation: Organisation,
    departments: Iterable[Department] = (),
) -> bool:
    """May ``user`` invite someone to ``role`` in ``organisation`` (limited to
    ``departments``)? Staff invite staff: a staff role needs the right to manage the whole
    organisation (its administrators); residents and board members need
    ``core.invite_residents`` on each of their departments."""
    if role not in INVITABLE_ROLES:
        return False
    departments = list(departments)
    if any(d.organisation_id != organisation.pk for d in departments):
        return False
    if role in NETWORK_ROLES:
        return not departments and has_perm(user, Perm.NETWORK_ORGANISE, organisation)
    if role in STAFF_ROLES or role in REFERRAL_ROLES:
        return has_perm(user, Perm.MANAGE_ORGANISATION, organisation)
    if not departments:
        return False
    return all(has_perm(user, Perm.INVITE_RESIDENTS, d) for d in departments)


class SystemActor:
    """The platform acting by itself (a command, a scheduled task, loading the demo): not a
    user, allowed everything, recorded as "system" in the audit log. Use ``SYSTEM``."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM: Final = SystemActor()

# Who acts in a service: a user (an anonymous visitor too) or SYSTEM.
Actor: TypeAlias = "User | AnonymousUser | SystemActor"


# Memberships by user id, per process, under the user's access revision: a user gets a new
# revision whenever one of their memberships or its departments change (signal handlers
# below; bulk writes through Membership's QuerySet), so a cached list is never used after a
# change. The revision comes with the user row each request loads (session or token), so
# a hit costs no query. Cached memberships are shared between requests: read them only.
_MEMBERSHIP_CACHE: dict[int, tuple[UUID, list[Membership]]] = {}
_MEMBERSHIP_CACHE_SIZE = 4096


def _memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships with their organisations and departments: cached on the user
    object for the request and per process under the user's access revision."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_lokalsamfund_memberships", None)
    if cached is not None:
        return cached
    hit = _MEMBERSHIP_CACHE.get(user.pk)
    if hit is not None and hit[0] == user.access_revision:
        cached = hit[1]
    else:
        # The key is the revision read with the rows, in the same query (the object's may be
        # older, and a change made in a transaction that rolls back has a revision that never
        # commits). Without memberships there is nothing to key: nothing is cached.
        cached = list(
            Membership.objects.filter(user=user)
            .annotate(user_access_revision=F("user__access_revision"))
            .select_related("organisation")
            .prefetch_related("departments")
        )
        if cached:
            if len(_MEMBERSHIP_CACHE) >= _MEMBERSHIP_CACHE_SIZE:
                _MEMBERSHIP_CACHE.clear()
            revision: UUID = getattr(cached[0], "user_access_revision")  # noqa: B009 - an annotation
            _MEMBERSHIP_CACHE[user.pk] = (revision, cached)
    user._lokalsamfund_memberships = cached  # type: ignore[attr-defined]
    return cached


def _organisation_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships that belong to an organisation (not the network's roles)."""
    return [m for m in _memberships(user) if m.role not in NETWORK_ROLES]


def _grants(membership: Membership, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(membership.role, frozenset())


def _department_ids(membership: Membership) -> set[int] | None:
    """None means: not limited to departments. Residents and board members belong to
    departments: without any (a row written around the checks) they cover nothing, never
    the whole organisation."""
    ids = {d.pk for d in membership.departments.all()}
    if ids:
        return ids
    return set() if membership.role in DEPARTMENT_ROLES else None


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


def require(actor: Actor | None, perm: Perm, target: Any) -> None:
    """Raise ``Forbidden`` (a ``DomainError`` that is also Django's ``PermissionDenied``)
    unless ``actor`` may do ``perm`` on ``target``: ``SYSTEM`` may do everything, a user what
    ``has_perm`` grants, a missing actor (``None``) nothing."""
    if actor is SYSTEM:
        return
    if actor is None or isinstance(actor, SystemActor) or not has_perm(actor, perm, target):
        raise Forbidden(_("You may not do this for %(target)s.") % {"target": target})


def organisations_for(
    user: User | AnonymousUser, perm: Perm | None = None
) -> QuerySet[Organisation]:
    """Organisations where the user has any role (or ``perm`` on at least one department)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    ids = {
        m.organisation_id
        for m in _organisation_memberships(user)
        if perm is None or _grants(m, perm)
    }
    return Organisation.objects.filter(pk__in=ids)


def users_with(perm: Perm, target: Any) -> QuerySet[User]:
    """Active members who have ``perm`` on ``target`` by their role, as ``has_perm`` decides
    (superusers, the platform's operators, are not members): e.g. whom to notify."""
    organisation_id, department_id = _target_scope(target)
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if perm in granted]
    in_scope = Q(memberships__departments__isnull=True)
    if department_id is not None:
        in_scope |= Q(memberships__departments=department_id)
    return User.objects.filter(
        Q(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role__in=roles,
        )
        & in_scope
    ).distinct()


def organisation_ids_for(user: User | AnonymousUser) -> set[int] | None:
    """Ids of the organisations where the user has any role (no query once the user's
    memberships are cached); None: every organisation (superusers)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    return {m.organisation_id for m in _organisation_memberships(user)}


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
    for membership in _organisation_memberships(user):
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


def _managed_organisation_ids(user: User | AnonymousUser) -> set[int]:
    """Organisations the user manages as a whole (``core.manage_organisation`` on a
    membership not limited to departments)."""
    return {
        m.organisation_id
        for m in _memberships(user)
        if _grants(m, Perm.MANAGE_ORGANISATION) and _department_ids(m) is None
    }


def users_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """The accounts the back office shows ``user`` (its lists, searches, autocompletes and
    choices): people with a role in an organisation the user manages. Superusers: all."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    members = Membership.objects.filter(organisation_id__in=_managed_organisation_ids(user))
    return User.objects.filter(pk__in=members.values("user_id"))


def may_manage_account(user: User | AnonymousUser, account: User) -> bool:
    """May ``user`` change ``account``'s password, e-mail address or active flag? Only for
    an account all of whose roles lie in organisations the user manages (else an
    administrator could take over another organisation's account); superusers (the
    platform's operators) always, and no one else a superuser's account."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if account.is_superuser:
        return False
    organisations = set(
        Membership.objects.filter(user=account).values_list("organisation_id", flat=True)
    )
    return bool(organisations) and organisations <= _managed_organisation_ids(user)


def has_back_office(user: User | AnonymousUser) -> bool:
    """May the user use the back office (Django's admin: it lets in staff accounts only)?
    ``MANAGE_ORGANISATION`` somewhere, or a platform operator."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or has_any(user, Perm.MANAGE_ORGANISATION)


def association_join_scope(user: User | AnonymousUser) -> tuple[set[int] | None, set[int]]:
    """Whose requests to join an association the user decides: (organisations where the user
    approves bookings for the whole organisation, None meaning all; associations the user is a
    contact of). Documented in docs/permissions.md."""
    if not user.is_authenticated or not user.is_active:
        return set(), set()
    if user.is_superuser:
        return None, set()
    organisation_ids = {
        m.organisation_id
        for m in _memberships(user)
        if _grants(m, Perm.APPROVE_BOOKINGS) and _department_ids(m) is None
    }
    association_ids = {
        m.association_id
        for m in _memberships(user)
        if m.role == Role.ASSOCIATION and m.association_id is not None
    }
    return organisation_ids, association_ids


def may_decide_association_join(user: User | AnonymousUser, association: Any) -> bool:
    """May the user confirm or decline a request to join ``association``: one of its contacts,
    or who approves bookings for its whole organisation."""
    organisation_ids, association_ids = association_join_scope(user)
    return (
        organisation_ids is None
        or association.organisation_id in organisation_ids
        or association.pk in association_ids
    )


def memberships_in(user: User | AnonymousUser, organisation_id: int) -> list[Membership]:
    """The user's memberships in one organisation, with their departments (from the
    per-request cache: no query once the user's permissions were asked for)."""
    return [m for m in _organisation_memberships(user) if m.organisation_id == organisation_id]


def roles_in(user: User | AnonymousUser, organisation: Organisation) -> set[str]:
    return {m.role for m in _organisation_memberships(user) if m.organisation_id == organisation.pk}


def forget_cached_memberships(user: User | AnonymousUser) -> None:
    """Call after changing a user's memberships within one request or test (the user object
    keeps the memberships it has read)."""
    if hasattr(user, "_lokalsamfund_memberships"):
        del user._lokalsamfund_memberships
    if user.pk is not None:
        _MEMBERSHIP_CACHE.pop(user.pk, None)


# --- keeping the membership cache true ----------------------------------------------------------


def _renew_access(user_ids: set[int], *instances: Any) -> None:
    """New access revisions for ``user_ids``; user objects at hand (``instances``, e.g. the
    membership's cached user) take the new revision and forget their memberships."""
    if not user_ids:
        return
    User.touch_access(user_ids)
    revisions = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "access_revision"))
    for user in instances:
        if user is not None and user.pk in revisions:
            user.access_revision = revisions[user.pk]
            forget_cached_memberships(user)


def _cached_user(membership: Membership) -> Any:
    field = Membership._meta.get_field("user")
    return membership.user if field.is_cached(membership) else None


def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _renew_access({instance.user_id}, _cached_user(instance))


def _membership_departments_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not reverse:  # membership.departments.add/remove/set/clear(...)
        if action in ("post_add", "post_remove", "post_clear"):
            _renew_access({instance.user_id}, _cached_user(instance))
        return
    # department.memberships...: the memberships are pk_set, or all of them when cleared.
    if action == "pre_clear":
        memberships = instance.memberships.all()
    elif action in ("post_add", "post_remove") and pk_set:
        memberships = Membership.objects.filter(pk__in=pk_set)
    else:
        return
    _renew_access(set(memberships.values_list("user_id", flat=True)))


def _department_deleting(sender: Any, instance: Department, **kwargs: Any) -> None:
    """Deleting a department removes it from memberships without m2m signals. A membership
    limited to that department alone goes with it: an empty department list would mean the
    whole organisation."""
    members = list(instance.memberships.values_list("pk", "user_id"))
    _renew_access({user_id for _, user_id in members})
    counted = Membership.objects.filter(pk__in=[pk for pk, _ in members])
    only_here = counted.annotate(n=Count("departments")).filter(n=1).values_list("pk", flat=True)
    Membership.objects.filter(pk__in=list(only_here)).delete()


def _link_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Deleting a neighbouring housing or an association empties the memberships' link to it
    # (SET_NULL, an update that bypasses Membership's QuerySet).
    members = Membership.objects.filter(
        Q(neighbour_housing_id=instance.pk)
        if isinstance(instance, NeighbourHousing)
        else Q(association_id=instance.pk)
    )
    _renew_access(set(members.values_list("user_id", flat=True)))


def connect_cache_invalidation() -> None:
    """Connect the handlers that renew access revisions (called once, from CoreConfig)."""
    from django.db.models import signals

    signals.post_save.connect(_membership_changed, sender=Membership, dispatch_uid="perm-save")
    signals.post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="perm-delete")
    signals.m2m_changed.connect(
        _membership_departments_changed,
        sender=Membership.departments.through,
        dispatch_uid="perm-departments",
    )
    signals.pre_delete.connect(_department_deleting, sender=Department, dispatch_uid="perm-dept")
    for model in (NeighbourHousing, Association):
        signals.pre_delete.connect(_link_deleting, sender=model, dispatch_uid="perm-link")
