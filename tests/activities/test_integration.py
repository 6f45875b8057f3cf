"""The areas of the activities domain working together: more places move the waitlist up, the
organiser's dates page leads to the headcount, the activity page carries the sign-up box, the
demo holds a year of headcounts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lokalsamfund.activities.models import Activity, Headcount, SignUpStatus
from lokalsamfund.activities.services import participation, signups
from lokalsamfund.activities.services.activities import activity_update
from lokalsamfund.core.models import Department, Organisation, Role, User

from .conftest import local

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]


def test_more_places_move_the_waitlist_up(
    make_activity: Callable[..., Activity],
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
) -> None:
    activity = make_activity(
        starts_at=local(2026, 6, 18, 17, 30), signup_required=True, capacity=1, waitlist=True
    )
    occurrence = activity.occurrences.order_by("starts_at").first()
    assert occurrence is not None
    first, second = (make_user(Role.RESIDENT, org, [dept_a]) for _ in range(2))
    signups.signup_create(occurrence=occurrence, actor=first)
    waiting = signups.signup_create(occurrence=occurrence, actor=second).signup
    assert waiting.status == SignUpStatus.WAITLISTED

    result = activity_update(activity=activity, actor=coordinator, changes={"capacity": 2})

    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.CONFIRMED
    assert waiting.waitlist_position is None
    assert any("waitlist" in m or "venteliste" in m for m in result.messages)


def test_dates_page_leads_to_the_headcount_of_held_dates(
    make_activity: Callable[..., Activity],
    client_for: Callable[..., Client],
    coordinator: User,
    resident: User,
) -> None:
    activity = make_activity(starts_at=timezone.now() - timedelta(days=15), rrule="FREQ=WEEKLY")
    held = activity.occurrences.filter(ends_at__lt=timezone.now()).order_by("starts_at")
    assert held.count() == 3
    participation.headcount_record(actor=coordinator, occurrence=held[0], total=14)

    page = client_for(coordinator).get(f"/aktiviteter/{activity.pk}/datoer/")
    html = page.content.decode()
    assert page.status_code == 200
    for occurrence in held:
        assert f"/aktiviteter/tid/{occurrence.pk}/deltagere/" in html
    assert "14 deltagere" in html
    assert Headcount.objects.count() == 1
    # A resident who does not organise it gets nothing.
    assert client_for(resident).get(f"/aktiviteter/{activity.pk}/datoer/").status_code in {403, 404}


def test_activity_page_carries_the_sign_up_box(
    make_activity: Callable[..., Activity], client_for: Callable[..., Client], resident: User
) -> None:
    activity = make_activity(signup_required=True, capacity=12)
    occurrence = activity.occurrences.order_by("starts_at").first()
    assert occurrence is not None
    html = client_for(resident).get(f"/aktiviteter/{activity.pk}/").content.decode()
    assert f"/aktiviteter/tid/{occurrence.pk}/tilmeld/" in html
    assert "12" in html  # the places left


def test_participation_is_in_the_menu_of_those_who_may_see_it(
    client_for: Callable[..., Client], coordinator: User, resident: User
) -> None:
    assert "/aktiviteter/deltagelse/" in client_for(coordinator).get("/").content.decode()
    assert "/aktiviteter/deltagelse/" not in client_for(resident).get("/").content.decode()
