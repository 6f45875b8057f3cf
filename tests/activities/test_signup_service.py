"""The sign-up service: places, the waitlist moving up, deadlines, sign-up without an account
and on behalf of a resident who phoned in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokalsamfund.activities.models import (
    Activity,
    Occurrence,
    SignUp,
    SignUpChannel,
    SignUpStatus,
)
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Role, User
from lokalsamfund.core.permissions import SYSTEM

from .factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]


def assert_invariants(occurrence: Occurrence) -> None:
    """Never more confirmed places than capacity; waitlist positions 1..n; counts kept."""
    occurrence.refresh_from_db()
    capacity = occurrence.activity.capacity
    confirmed = SignUp.objects.filter(occurrence=occurrence, status=SignUpStatus.CONFIRMED)
    places = sum(s.places for s in confirmed)
    if capacity is not None:
        assert places <= capacity
    positions = sorted(
        SignUp.objects.filter(occurrence=occurrence, status=SignUpStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, len(positions) + 1))
    assert occurrence.signed_up_count == places
    waiting = SignUp.objects.filter(occurrence=occurrence, status=SignUpStatus.WAITLISTED)
    assert occurrence.waitlist_count == sum(s.places for s in waiting)


@pytest.fixture
def residents(make_user: Callable[..., User], org: object, dept_a: Department) -> list[User]:
    return [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(6)]


@pytest.fixture
def meal(dept_a: Department, caretaker: User) -> Activity:
    return make_activity([dept_a], capacity=3, organisers=[caretaker])


@pytest.fixture
def occurrence(meal: Activity) -> Occurrence:
    return make_occurrence(meal)


def test_places_then_waitlist_then_refused_without_waitlist(
    occurrence: Occurrence, residents: list[User]
) -> None:
    results = [services.signup_create(occurrence=occurrence, actor=u) for u in residents[:5]]
    statuses = [r.signup.status for r in results]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [r.signup.waitlist_position for r in results[3:]] == [1, 2]
    assert_invariants(occurrence)
    Activity.objects.filter(pk=occurrence.activity_id).update(waitlist=False)
    occurrence.refresh_from_db()
    occurrence.activity.refresh_from_db()
    with pytest.raises(Conflict, match="fuldt"):
        services.signup_create(occurrence=occurrence, actor=residents[5])


def test_cancel_moves_the_first_up_and_closes_up_the_waitlist(
    occurrence: Occurrence, residents: list[User]
) -> None:
    results = [services.signup_create(occurrence=occurrence, actor=u) for u in residents[:6]]
    mail.outbox.clear()
    services.signup_cancel(signup=results[0].signup, actor=residents[0])
    promoted = SignUp.objects.get(pk=results[3].signup.pk)
    assert promoted.status == SignUpStatus.CONFIRMED
    assert promoted.waitlist_position is None
    assert [SignUp.objects.get(pk=r.signup.pk).waitlist_position for r in results[4:]] == [1, 2]
    assert_invariants(occurrence)
    # The one moved up is told what, when and where.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [residents[3].email]
    assert "Fællesspisning" in message.subject
    assert "Fælleshuset, Engparken 1" in message.body
    assert message.attachments
    assert message.attachments[0][0].endswith(".ics")
    assert AuditEntry.objects.filter(action="activities.waitlist_promote").count() == 1


def test_cancelling_from_the_middle_of_the_waitlist_closes_up(
    occurrence: Occurrence, residents: list[User]
) -> None:
    results = [services.signup_create(occurrence=occurrence, actor=u) for u in residents[:6]]
    services.signup_cancel(signup=results[4].signup, actor=residents[4])
    assert [SignUp.objects.get(pk=results[i].signup.pk).waitlist_position for i in (3, 5)] == [1, 2]
    assert_invariants(occurrence)


def test_a_party_that_does_not_fit_waits_and_nobody_overtakes(
    occurrence: Occurrence, residents: list[User]
) -> None:
    first = services.signup_create(occurrence=occurrence, actor=residents[0], places=2).signup
    party = services.signup_create(occurrence=occurrence, actor=residents[1], places=2).signup
    assert party.status == SignUpStatus.WAITLISTED
    # One place is free, but a newcomer does not overtake the party waiting for two.
    single = services.signup_create(occurrence=occurrence, actor=residents[2]).signup
    assert single.status == SignUpStatus.WAITLISTED
    assert single.waitlist_position == 2
    services.signup_cancel(signup=first, actor=residents[0])
    party.refresh_from_db()
    single.refresh_from_db()
    assert party.status == SignUpStatus.CONFIRMED
    assert single.status == SignUpStatus.CONFIRMED
    assert_invariants(occurrence)


def test_raised_capacity_moves_the_waitlist_up(
    occurrence: Occurrence, residents: list[User]
) -> None:
    for u in residents[:5]:
        services.signup_create(occurrence=occurrence, actor=u)
    Activity.objects.filter(pk=occurrence.activity_id).update(capacity=4)
    activity = Activity.objects.get(pk=occurrence.activity_id)
    assert services.activity_capacity_changed(activity=activity) == 1
    assert_invariants(occurrence)
    assert SignUp.objects.filter(status=SignUpStatus.CONFIRMED).count() == 4


def test_twice_is_refused(occurrence: Occurrence, resident: User) -> None:
    services.signup_create(occurrence=occurrence, actor=resident)
    with pytest.raises(Conflict, match="allerede tilmeldt"):
        services.signup_create(occurrence=occurrence, actor=resident)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "cancelled"}, "aflyst"),
        ({"starts_at": -1}, "begyndt"),
    ],
)
def test_cancelled_or_past_occurrence_is_refused(
    meal: Activity, resident: User, change: dict[str, object], message: str
) -> None:
    if change.get("starts_at") == -1:
        occurrence = make_occurrence(meal, timezone.now() - timedelta(hours=1))
    else:
        occurrence = make_occurrence(meal, **change)
    with pytest.raises(DomainError, match=message):
        services.signup_create(occurrence=occurrence, actor=resident)
    assert not SignUp.objects.exists()


def test_the_deadline_is_refused_with_when_it_closed(dept_a: Department, resident: User) -> None:
    activity = make_activity(
        [dept_a], starts_at=timezone.now() + timedelta(hours=20), signup_closes_hours=24
    )
    occurrence = make_occurrence(activity)
    with pytest.raises(DomainError, match="Tilmeldingen lukkede"):
        services.signup_create(occurrence=occurrence, actor=resident)


def test_no_signup_or_not_published_is_refused(dept_a: Department, resident: User) -> None:
    free = make_occurrence(make_activity([dept_a], signup_required=False))
    with pytest.raises(DomainError, match="kom bare"):
        services.signup_create(occurrence=free, actor=resident)
    paused = make_occurrence(make_activity([dept_a], status="paused"))
    with pytest.raises(Forbidden):
        services.signup_create(occurrence=paused, actor=resident)


def test_who_may_join(
    dept_a: Department, dept_b: Department, personas: dict[str, User], make_user: Callable
) -> None:
    residents_only = make_occurrence(make_activity([dept_a], visibility="departments"))
    neighbours = make_occurrence(make_activity([dept_a], visibility="neighbours"))
    for name in ("neighbour", "outsider", "no_role"):
        with pytest.raises(Forbidden):
            services.signup_create(occurrence=residents_only, actor=personas[name])
    services.signup_create(occurrence=neighbours, actor=personas["neighbour"])
    with pytest.raises(Forbidden):
        services.signup_create(occurrence=neighbours, actor=personas["outsider"])
    services.signup_create(occurrence=residents_only, actor=personas["resident"])
    with pytest.raises(Forbidden):
        services.signup_create(occurrence=residents_only, actor=AnonymousUser())


def test_without_an_account_confirmed_by_the_link(dept_a: Department) -> None:
    occurrence = make_occurrence(make_activity([dept_a], visibility="public", capacity=1))
    result = services.signup_create(
        occurrence=occurrence,
        actor=AnonymousUser(),
        name=" Ida  Jensen ",
        email="IDA@example.org",
        language="en",
    )
    signup = result.signup
    assert signup.status == SignUpStatus.UNCONFIRMED
    assert signup.channel == SignUpChannel.EMAIL
    assert signup.name == "Ida Jensen"
    assert signup.email == "ida@example.org"
    # Only a keyed hash of the token is stored.
    assert result.token
    assert result.token not in signup.token_hash
    assert signup.token_hash == services.token_hash(result.token)
    assert len(mail.outbox) == 1
    assert "Confirm your sign-up" in mail.outbox[0].subject  # her language
    assert result.token in mail.outbox[0].body
    # Unconfirmed holds no place.
    assert services.free_places(occurrence) == 1
    confirmed = services.signup_confirm(token=result.token).signup
    assert confirmed.status == SignUpStatus.CONFIRMED
    assert services.signup_confirm(token=result.token).signup.status == SignUpStatus.CONFIRMED
    assert_invariants(occurrence)
    assert mail.outbox[-1].attachments  # the confirmation with the .ics
    # The confirmation's link cancels; the older link is gone.
    cancel_token = mail.outbox[-1].body.split("/afmeld/")[1].split("/")[0]
    services.signup_cancel_by_token(token=cancel_token)
    assert SignUp.objects.get(pk=signup.pk).status == SignUpStatus.CANCELLED
    with pytest.raises(services.SignupNotValid):
        services.signup_cancel_by_token(token=cancel_token)


def test_without_an_account_only_for_public_and_needs_name_and_email(
    dept_a: Department,
) -> None:
    private = make_occurrence(make_activity([dept_a], visibility="neighbours"))
    with pytest.raises(Forbidden):
        services.signup_create(
            occurrence=private, actor=AnonymousUser(), name="Ida", email="ida@example.org"
        )
    public = make_occurrence(make_activity([dept_a], visibility="public"))
    with pytest.raises(DomainError, match="E-mail"):
        services.signup_create(occurrence=public, actor=AnonymousUser(), name="Ida", email="x")
    with pytest.raises(DomainError, match="Navn"):
        services.signup_create(
            occurrence=public, actor=AnonymousUser(), name=" ", email="ida@example.org"
        )


def test_the_same_address_again_gets_a_fresh_link_not_a_second_sign_up(
    dept_a: Department,
) -> None:
    occurrence = make_occurrence(make_activity([dept_a], visibility="public"))
    first = services.signup_create(
        occurrence=occurrence, actor=AnonymousUser(), name="Ida", email="ida@example.org"
    )
    again = services.signup_create(
        occurrence=occurrence, actor=AnonymousUser(), name="Ida", email="ida@example.org"
    )
    assert again.signup.pk == first.signup.pk
    assert SignUp.objects.count() == 1
    with pytest.raises(services.SignupNotValid):
        services.signup_confirm(token=first.token)
    services.signup_confirm(token=again.token)


def test_on_behalf_by_staff_and_organisers_only(
    occurrence: Occurrence, personas: dict[str, User], make_user: Callable, org: object
) -> None:
    for name in ("coordinator", "caretaker", "admin"):
        result = services.signup_on_behalf(
            occurrence=occurrence, actor=personas[name], name="Inger", phone="12345678"
        )
        assert result.signup.channel == SignUpChannel.STAFF
        assert result.signup.created_by == personas[name]
    for name in ("resident", "board_member", "neighbour", "outsider", "no_role"):
        with pytest.raises(Forbidden):
            services.signup_on_behalf(
                occurrence=occurrence, actor=personas[name], name="Inger", phone="1"
            )
    organiser = make_user(Role.RESIDENT, org, [])
    occurrence.activity.organisers.add(organiser)
    on_waitlist = services.signup_on_behalf(
        occurrence=occurrence, actor=organiser, name="Jens", email="jens@example.org"
    )
    assert on_waitlist.signup.status == SignUpStatus.WAITLISTED
    assert mail.outbox[-1].to == ["jens@example.org"]
    assert "ventelisten" in mail.outbox[-1].subject
    with pytest.raises(DomainError, match="telefonnummer"):
        services.signup_on_behalf(occurrence=occurrence, actor=SYSTEM, name="Inger")
    assert_invariants(occurrence)


def test_who_may_cancel(occurrence: Occurrence, personas: dict[str, User], resident: User) -> None:
    signup = services.signup_create(occurrence=occurrence, actor=resident).signup
    for name in ("board_member", "neighbour", "outsider", "no_role"):
        with pytest.raises(Forbidden):
            services.signup_cancel(signup=signup, actor=personas[name])
    services.signup_cancel(signup=signup, actor=personas["caretaker"])
    assert SignUp.objects.get(pk=signup.pk).status == SignUpStatus.CANCELLED
    assert AuditEntry.objects.filter(action="activities.signup_cancel").exists()


def test_cancel_after_the_start_is_refused(
    occurrence: Occurrence, resident: User, clock: object
) -> None:
    signup = services.signup_create(occurrence=occurrence, actor=resident).signup
    with pytest.raises(DomainError, match="begyndt"):
        services.signup_cancel(
            signup=signup, actor=resident, now=occurrence.starts_at + timedelta(minutes=1)
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["join", "cancel"]), st.integers(0, 5), st.integers(1, 3)),
        min_size=1,
        max_size=25,
    ),
    capacity=st.integers(1, 5),
)
def test_any_sequence_of_sign_ups_and_cancellations_keeps_the_invariants(
    dept_a: Department, residents: list[User], steps: list[tuple[str, int, int]], capacity: int
) -> None:
    activity = make_activity([dept_a], capacity=capacity)
    occurrence = make_occurrence(activity)
    for action, who, places in steps:
        user = residents[who]
        own = services.signup_of(occurrence=occurrence, user=user)
        if action == "join" and own is None:
            try:
                services.signup_create(occurrence=occurrence, actor=user, places=places)
            except DomainError:
                assert places > capacity
        elif action == "cancel" and own is not None:
            services.signup_cancel(signup=own, actor=user)
        assert_invariants(occurrence)
        # Nobody waits while the first in line would fit.
        first = (
            SignUp.objects.filter(occurrence=occurrence, status=SignUpStatus.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is not None:
            assert first.places > services.free_places(occurrence)  # type: ignore[operator]


def test_unconfirmed_sign_ups_expire_after_48_hours(
    dept_a: Department, clock: object, resident: User
) -> None:
    from io import StringIO

    from django.core.management import call_command

    occurrence = make_occurrence(
        make_activity([dept_a], visibility="public", starts_at=timezone.now() + timedelta(days=10))
    )

    def anonymous(email: str) -> services.SignupResult:
        return services.signup_create(
            occurrence=occurrence, actor=AnonymousUser(), name="Ida", email=email
        )

    never_opened = anonymous("ida@example.org").signup
    opened = anonymous("bo@example.org")
    services.signup_create(occurrence=occurrence, actor=resident)
    clock.shift(timedelta(hours=24))  # type: ignore[attr-defined]
    services.signup_confirm(token=opened.token)
    later = anonymous("eva@example.org").signup
    assert services.unconfirmed_expire() == 0
    clock.shift(timedelta(hours=24, minutes=1))  # type: ignore[attr-defined]
    # 48 hours after signing up without opening the link: deleted; the rest stay.
    assert services.unconfirmed_expire() == 1
    assert not SignUp.objects.filter(pk=never_opened.pk).exists()
    assert SignUp.objects.filter(pk=later.pk, status=SignUpStatus.UNCONFIRMED).exists()
    assert SignUp.objects.filter(status=SignUpStatus.CONFIRMED).count() == 2
    entry = AuditEntry.objects.get(action="activities.unconfirmed_expire")
    assert entry.data == {"deleted": 1, "hours": 48}
    assert "ida@example.org" not in str(entry.data)
    assert services.unconfirmed_expire() == 0  # idempotent
    # And by the daily command.
    clock.shift(timedelta(hours=24))  # type: ignore[attr-defined]
    out = StringIO()
    call_command("activities", "tidy", stdout=out)
    assert "Unconfirmed sign-ups deleted after 48 hours: 1." in out.getvalue()
    assert not SignUp.objects.filter(status=SignUpStatus.UNCONFIRMED).exists()
