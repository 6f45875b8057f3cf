"""Never more confirmed than capacity: real threads with their own database connections sign
up and cancel at the same moment, on SQLite (IMMEDIATE transactions) and PostgreSQL (the
occurrence's row lock)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from lokalsamfund.activities.models import Occurrence, SignUp, SignUpStatus
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.errors import Conflict
from lokalsamfund.core.models import Department, Organisation, Role, User

from .factories_signups import make_activity, make_occurrence
from .test_signup_service import assert_invariants

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def race(work: Callable[[int], object], threads: int = THREADS) -> list[object]:
    """Run ``work(i)`` in threads released at the same moment; return the outcomes."""
    barrier = threading.Barrier(threads)
    outcomes: list[object] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def people(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> list[User]:
    return [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(THREADS)]


def test_concurrent_sign_ups_fill_the_places_and_queue_the_rest(
    dept_a: Department, people: list[User]
) -> None:
    occurrence = make_occurrence(make_activity([dept_a], capacity=3))

    outcomes = race(lambda i: services.signup_create(occurrence=occurrence, actor=people[i]).signup)
    assert all(isinstance(o, SignUp) for o in outcomes), outcomes
    signups = [o for o in outcomes if isinstance(o, SignUp)]
    assert sum(s.status == SignUpStatus.CONFIRMED for s in signups) == 3
    positions = sorted(s.waitlist_position for s in signups if s.waitlist_position)
    assert positions == list(range(1, THREADS - 3 + 1))
    assert_invariants(occurrence)


def test_concurrent_sign_ups_without_a_waitlist_refuse_the_rest(
    dept_a: Department, people: list[User]
) -> None:
    occurrence = make_occurrence(make_activity([dept_a], capacity=2, waitlist=False))
    outcomes = race(lambda i: services.signup_create(occurrence=occurrence, actor=people[i]).signup)
    assert sum(isinstance(o, SignUp) for o in outcomes) == 2, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == THREADS - 2, outcomes
    assert_invariants(occurrence)


def test_concurrent_cancellations_and_sign_ups_keep_the_waitlist_gap_free(
    dept_a: Department, people: list[User], make_user: Callable[..., User], org: Organisation
) -> None:
    occurrence = make_occurrence(make_activity([dept_a], capacity=4))
    first = [services.signup_create(occurrence=occurrence, actor=u).signup for u in people]
    newcomers = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(THREADS)]

    def work(i: int) -> object:
        # Half cancel (a confirmed or a waitlisted one), half sign up.
        if i % 2 == 0:
            return services.signup_cancel(signup=first[i], actor=people[i])
        return services.signup_create(occurrence=occurrence, actor=newcomers[i]).signup

    outcomes = race(work)
    assert all(isinstance(o, SignUp) for o in outcomes), outcomes
    assert_invariants(occurrence)
    occurrence = Occurrence.objects.get(pk=occurrence.pk)
    assert occurrence.signed_up_count == 4
