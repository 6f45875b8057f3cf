"""The per-process cache of the effective policy: a changed profile applies to the next booking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalsamfund.bookings import selectors
from lokalsamfund.bookings.models import (
    Booking,
    Facility,
    PolicyCategoryTerms,
    PolicyProfile,
    PolicyRule,
)
from lokalsamfund.bookings.services import booking_create, policy_profile_install_default
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Organisation, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]


@pytest.fixture
def profile(org: Organisation, admin_user: User, facility: Facility) -> PolicyProfile:
    """The organisation's default profile (a copy of the shipped one); the test house has no
    monthly quota, so that the tests can book several times."""
    facility.monthly_quota_per_household = 0
    facility.save()
    return policy_profile_install_default(organisation=org, actor=admin_user)


def party(facility: Facility, resident: User, start: datetime, end: datetime) -> Booking:
    return booking_create(
        facility=facility,
        booker=resident,
        start=start,
        end=end,
        title="Fødselsdag",
        use_type="private_event",
        whole_house=True,
    )


def _reads_rules(ctx: CaptureQueriesContext) -> bool:
    return any("bookings_policyrule" in q["sql"] for q in ctx.captured_queries)


def test_policy_is_cached_until_the_profile_changes(
    facility: Facility, profile: PolicyProfile
) -> None:
    house = selectors.facility_with_rooms(facility.pk)  # as booking reads it
    first = selectors.policy_for(house)
    with CaptureQueriesContext(connection) as ctx:
        again = selectors.policy_for(house)
    assert again is first
    assert not ctx.captured_queries  # the house's revision is the key: nothing is read
    # Without the house cache, only the profile's revision is read.
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.policy_for(facility) is first
    assert not _reads_rules(ctx)
    rule = profile.rules.get(category="resident", use_type="private_event")
    rule.fixed_price = rule.fixed_price + 50
    rule.save()
    # The house as the next request reads it has a new revision: the policy is read again.
    house = selectors.facility_with_rooms(
        facility.pk, Facility.objects.get(pk=facility.pk).revision
    )
    changed = selectors.policy_for(house)
    assert changed is not first
    assert changed.rule("resident", "private_event").fixed_price == rule.fixed_price
    # A change of the profile itself, too.
    profile.refresh_from_db()
    profile.forbids_profit = not changed.forbids_profit
    profile.save()
    facility.refresh_from_db()
    assert selectors.policy_for(facility).forbids_profit == profile.forbids_profit


def test_a_changed_rule_applies_to_the_next_booking(
    facility: Facility, profile: PolicyProfile, resident: User, at: At
) -> None:
    assert party(facility, resident, at(3, 12), at(3, 16)).price_rule == "fixed"
    rule = PolicyRule.objects.get(profile=profile, category="resident", use_type="private_event")
    rule.allowed = False
    rule.save()
    with pytest.raises(Forbidden):
        party(facility, resident, at(4, 12), at(4, 16))


def test_changed_terms_apply_to_the_next_booking(
    facility: Facility, profile: PolicyProfile, resident: User, at: At
) -> None:
    party(facility, resident, at(20, 12), at(20, 16))
    terms = PolicyCategoryTerms.objects.get(profile=profile, category="resident")
    terms.max_days_ahead = 10
    terms.save()
    with pytest.raises(DomainError) as caught:
        party(facility, resident, at(21, 12), at(21, 16))
    assert "10" in caught.value.message


def test_a_deleted_rule_forbids_at_once(
    facility: Facility, profile: PolicyProfile, resident: User, at: At
) -> None:
    party(facility, resident, at(3, 12), at(3, 16))
    PolicyRule.objects.get(profile=profile, category="resident", use_type="private_event").delete()
    with pytest.raises(Forbidden):  # a missing rule forbids
        party(facility, resident, at(4, 12), at(4, 16))


def test_bulk_changes_apply_after_touch(
    facility: Facility, profile: PolicyProfile, resident: User, at: At
) -> None:
    party(facility, resident, at(3, 12), at(3, 16))
    PolicyRule.objects.filter(profile=profile, category="resident").update(allowed=False)
    PolicyProfile.touch(profile.pk)
    with pytest.raises(Forbidden):
        party(facility, resident, at(4, 12), at(4, 16))


def test_own_profile_and_a_deleted_default_apply_to_the_next_booking(
    facility: Facility, profile: PolicyProfile, org: Organisation, resident: User, at: At
) -> None:
    party(facility, resident, at(3, 12), at(3, 16))
    strict = PolicyProfile.objects.create(organisation=org, name="Streng")  # no rules: forbids
    facility.policy_profile = strict
    facility.save()
    with pytest.raises(Forbidden):
        party(facility, resident, at(4, 12), at(4, 16))
    facility.policy_profile = None
    facility.save()
    party(facility, resident, at(5, 12), at(5, 16))
    # Without any saved profile the shipped default applies (its price for a party: 300 kr.).
    PolicyRule.objects.filter(profile=profile, category="resident").update(fixed_price=1)
    PolicyProfile.touch(profile.pk)
    assert str(party(facility, resident, at(6, 12), at(6, 16)).price) == "1.00"
    profile.delete()
    assert str(party(facility, resident, at(7, 12), at(7, 16)).price) == "300.00"


def test_api_booking_sees_a_changed_rule(
    api_for: Callable[[User | None], Any],
    facility: Facility,
    profile: PolicyProfile,
    resident: User,
    at: At,
) -> None:
    api = api_for(resident)

    def post(day: int) -> Any:
        return api.post(
            "/api/v1/bookings",
            {
                "facility": facility.slug,
                "use_type": "private_event",
                "whole_house": True,
                "start": at(day, 12).isoformat(),
                "end": at(day, 16).isoformat(),
                "title": "Fødselsdag",
            },
        )

    assert post(3).status_code == 201
    rule = PolicyRule.objects.get(profile=profile, category="resident", use_type="private_event")
    rule.allowed = False
    rule.save()
    response = post(4)
    assert response.status_code == 403
    assert rule.source in response.json()["detail"]
