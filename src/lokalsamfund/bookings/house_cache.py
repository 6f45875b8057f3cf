"""The booking hot path's per-process caches: houses with their rooms, fixed slots and
effective policy, and policies by profile, each keyed by a revision stored in the database
(``Facility.revision``, ``PolicyProfile.revision``; core/revisions.py), so that a cached entry
is never used after a change. Re-exported by ``selectors``."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound

from .models import Facility, FixedSlot, PolicyProfile, Room
from .policy import SHIPPED_DEFAULT, CategoryTerms, Policy, Rule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User

    AnyUser = User | AnonymousUser


def policy_from_profile(profile: PolicyProfile) -> Policy:
    rules = tuple(
        Rule(
            category=r.category,
            use_type=r.use_type,
            allowed=r.allowed,
            needs_approval=r.needs_approval,
            price_rule=r.price_rule,
            source=r.source,
            fixed_price=r.fixed_price,
        )
        for r in profile.rules.all()
    )
    terms = tuple(
        CategoryTerms(t.category, t.max_days_ahead, t.cancellation_hours, t.source)
        for t in profile.terms.all()
    )
    return Policy(
        name=profile.name,
        reviewed=profile.reviewed_on is not None,
        forbids_profit=profile.forbids_profit,
        rules=rules,
        terms=terms,
        profile_id=profile.pk,
    )


# Effective policies by (profile id, revision), per process. A profile gets a new revision
# whenever it, a rule or its terms change, so a cached policy is never used after a change:
# every call reads the current revision (one small query) before it trusts the cache.
_POLICY_CACHE: dict[tuple[int, UUID], Policy] = {}
_POLICY_CACHE_SIZE = 512


def policy_stamp(facility: Facility) -> tuple[int, UUID] | None:
    """(id, revision) of the house's effective profile; None: the shipped default applies."""
    if facility.policy_profile_id is not None:
        profiles = PolicyProfile.objects.filter(pk=facility.policy_profile_id)
    else:
        profiles = PolicyProfile.objects.filter(
            organisation_id=facility.organisation_id, is_organisation_default=True
        )
    found = list(profiles.order_by().values_list("pk", "revision")[:1])
    return found[0] if found else None


def policy_for(facility: Facility) -> Policy:
    """The effective policy of a house; the shipped default when the organisation has none.

    From the house cache (``facility_with_rooms``) when the house's revision, as it was
    read, is the cached one; the booking service checks it again under the house's lock
    before it writes."""
    hit = _HOUSE_CACHE.get(facility.pk)
    if hit is not None and hit[0] == facility.revision:
        return hit[2]
    return _policy_of_profile(facility)


def _policy_of_profile(facility: Facility) -> Policy:
    stamp = policy_stamp(facility)
    if stamp is None:
        return SHIPPED_DEFAULT
    cached = _POLICY_CACHE.get(stamp)
    if cached is not None:
        return cached
    profile = PolicyProfile.objects.prefetch_related("rules", "terms").filter(pk=stamp[0]).first()
    if profile is None:  # deleted since the stamp was read
        return SHIPPED_DEFAULT
    policy = policy_from_profile(profile)
    if len(_POLICY_CACHE) >= _POLICY_CACHE_SIZE:
        _POLICY_CACHE.clear()
    # Under the revision read with the profile: its rules were read after it, so they are at
    # least as new (a change writes the rows first, then the new revision).
    _POLICY_CACHE[(profile.pk, profile.revision)] = policy
    return policy


# What booking a house reads besides the house: its rooms and fixed slots.
_BOOKING_PREFETCH = (
    Prefetch("rooms", queryset=Room.objects.order_by("name")),
    Prefetch("fixed_slots", queryset=FixedSlot.objects.order_by("use_type", "starts_at")),
)

# Houses with their organisation, department, rooms, fixed slots and effective policy, by
# id, per process, under the house's revision (see Facility.revision): booking (the hottest
# path) reads one small row instead of five queries. Callers get a shallow copy; do not
# change the shared rooms or slots.
_HOUSE_CACHE: dict[int, tuple[UUID, Facility, Policy]] = {}
_HOUSE_CACHE_SIZE = 1024


def facility_for_booking(user: AnyUser, slug: str) -> Facility:
    """The house ``slug`` as booking reads it, if the user may see it; else Http404."""
    row = Facility.objects.filter(slug=slug).values_list("pk", "organisation_id", "revision")
    found = list(row[:1])
    allowed = permissions.organisation_ids_for(user)
    if not found or (allowed is not None and found[0][1] not in allowed):
        raise Http404
    try:
        return facility_with_rooms(found[0][0], found[0][2])
    except NotFound:  # deleted meanwhile
        raise Http404 from None


def facility_with_rooms(facility_id: int, revision: UUID | None = None) -> Facility:
    """House ``facility_id`` with its organisation, department, rooms and fixed slots, from
    the process cache when ``revision`` is its current one (None: read it fresh)."""
    hit = _HOUSE_CACHE.get(facility_id)
    if revision is not None and hit is not None and hit[0] == revision:
        return copy.copy(hit[1])
    facility = (
        Facility.objects.select_related("organisation", "department")
        .prefetch_related(*_BOOKING_PREFETCH)
        .filter(pk=facility_id)
        .first()
    )
    if facility is None:
        raise NotFound(_("The common house no longer exists."))
    # Read after the house's row: the entry's key is the revision read with the data under
    # it, also the policy (a change brings a new revision; one that rolls back never commits).
    policy = _policy_of_profile(facility)
    if len(_HOUSE_CACHE) >= _HOUSE_CACHE_SIZE:
        _HOUSE_CACHE.clear()
    _HOUSE_CACHE[facility_id] = (facility.revision, facility, policy)
    return copy.copy(facility)
