"""The sign-up pages by persona: the box (with and without htmx), cancellation with a
confirmation, e-mail links, my sign-ups, sign-up on behalf and the organiser's list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from lokalsamfund.activities.models import Activity, Occurrence, SignUp, SignUpStatus
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.logging import redact
from lokalsamfund.core.models import Department, Role, User

from .factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]

HTMX = {"HX-Request": "true"}


@pytest.fixture
def organiser(make_user: Callable[..., User], org: object, dept_a: Department) -> User:
    return make_user(Role.RESIDENT, org, [dept_a])


@pytest.fixture
def meal(dept_a: Department, organiser: User) -> Activity:
    return make_activity([dept_a], capacity=2, organisers=[organiser])


@pytest.fixture
def occurrence(meal: Activity) -> Occurrence:
    return make_occurrence(meal)


def box(occurrence: Occurrence) -> str:
    return reverse("activities:signup_box", args=[occurrence.pk])


def test_the_box_is_seen_by_whom_the_activity_is_for(
    dept_a: Department,
    occurrence: Occurrence,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    for name in ("resident", "board_member", "caretaker", "coordinator", "admin"):
        assert client_for(personas[name]).get(box(occurrence)).status_code == 200, name
    for name in ("neighbour", "association", "outsider", "no_role"):
        assert client_for(personas[name]).get(box(occurrence)).status_code == 404, name
    assert client_for(None).get(box(occurrence)).status_code == 404
    neighbours = make_occurrence(make_activity([dept_a], visibility="neighbours"))
    assert client_for(personas["neighbour"]).get(box(neighbours)).status_code == 200
    assert client_for(personas["outsider"]).get(box(neighbours)).status_code == 404
    public = make_occurrence(make_activity([dept_a], visibility="public"))
    anonymous = client_for(None).get(box(public))
    assert anonymous.status_code == 200
    assert 'name="email"' in anonymous.content.decode()
    assert client_for(personas["outsider"]).get(box(public)).status_code == 200


def test_resident_signs_up_without_javascript_and_with_htmx(
    occurrence: Occurrence,
    resident: User,
    board_member: User,
    client_for: Callable[[User | None], Client],
) -> None:
    page = client_for(resident).get(box(occurrence)).content.decode()
    assert "2 ledige pladser" in page
    assert reverse("activities:signup", args=[occurrence.pk]) in page
    url = reverse("activities:signup", args=[occurrence.pk])
    response = client_for(resident).post(url, {"places": "1", "next": "/aktiviteter/"})
    assert response.status_code == 302
    assert response["Location"] == "/aktiviteter/"
    assert SignUp.objects.get(user=resident).status == SignUpStatus.CONFIRMED
    # An outside "next" is not followed.
    client_for(resident).post(url, {"next": "https://evil.example/"})
    response = client_for(board_member).post(url, {"next": "https://evil.example/"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="signup-{occurrence.pk}"' in html
    assert "Du er tilmeldt" in html
    assert "<html" not in html  # the fragment only
    assert 'name="next" value="/aktiviteter/tid/' not in html  # not the fragment's URL
    current = {**HTMX, "HX-Current-URL": "http://testserver/aktiviteter/7/?uge=2"}
    html = client_for(board_member).get(box(occurrence), headers=current).content.decode()
    assert 'name="next" value="/aktiviteter/7/?uge=2"' not in html  # signed up: no form
    html = (
        client_for(resident)
        .post(
            reverse("activities:cancel", args=[occurrence.pk]),
            {"confirmed": "yes"},
            headers=current,
        )
        .content.decode()
    )
    assert 'name="next" value="/aktiviteter/7/?uge=2"' in html
    again = client_for(board_member).post(url, headers=HTMX).content.decode()
    assert "allerede tilmeldt" in again


def test_sign_up_refused_for_whom_the_activity_is_not_for(
    occurrence: Occurrence,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("activities:signup", args=[occurrence.pk])
    for name in ("neighbour", "outsider", "no_role"):
        assert client_for(personas[name]).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 404
    assert client_for(personas["resident"]).get(url).status_code == 405
    assert not SignUp.objects.exists()


def test_waitlist_and_cancel_with_confirmation(
    occurrence: Occurrence,
    make_user: Callable[..., User],
    org: object,
    dept_a: Department,
    client_for: Callable[[User | None], Client],
) -> None:
    people = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(3)]
    url = reverse("activities:signup", args=[occurrence.pk])
    for person in people:
        client_for(person).post(url)
    waiting = client_for(people[2]).get(box(occurrence)).content.decode()
    assert "nummer 1 på ventelisten" in waiting
    cancel = reverse("activities:cancel", args=[occurrence.pk])
    # The confirmation first (a page, or the fragment with htmx); GET changes nothing.
    page = client_for(people[0]).get(cancel)
    assert "Vil du afmelde dig?" in page.content.decode()
    fragment = client_for(people[0]).get(cancel, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert "Ja, afmeld mig" in fragment
    assert SignUp.objects.filter(status=SignUpStatus.CONFIRMED).count() == 2
    done = client_for(people[0]).post(cancel, {"confirmed": "yes"}, headers=HTMX)
    assert "Du er afmeldt" in done.content.decode()
    assert SignUp.objects.get(user=people[2]).status == SignUpStatus.CONFIRMED
    assert mail.outbox[-1].to == [people[2].email]
    assert client_for(None).get(cancel).status_code == 302  # to the login


def test_without_an_account_by_the_e_mail_links(
    dept_a: Department, client_for: Callable[[User | None], Client]
) -> None:
    public = make_occurrence(make_activity([dept_a], visibility="public"))
    url = reverse("activities:signup", args=[public.pk])
    response = client_for(None).post(url, {"name": "Ida", "email": "ida@example.org"})
    assert response.status_code == 302
    signup = SignUp.objects.get()
    assert signup.status == SignUpStatus.UNCONFIRMED
    link = mail.outbox[-1].body.split("http://localhost:8000")[1].split()[0]
    assert link.startswith("/aktiviteter/tilmelding/bekraeft/")
    shown = client_for(None).get(link)
    assert shown.status_code == 200
    assert "Ja, bekræft min tilmelding" in shown.content.decode()
    assert SignUp.objects.get().status == SignUpStatus.UNCONFIRMED  # opening changes nothing
    confirmed = client_for(None).post(link, {"confirmed": "yes"})
    assert "Du er tilmeldt" in confirmed.content.decode()
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED
    cancel_link = mail.outbox[-1].body.split("http://localhost:8000")[-1].split()[0]
    assert "/afmeld/" in cancel_link
    client_for(None).post(cancel_link, {"confirmed": "yes"})
    assert SignUp.objects.get().status == SignUpStatus.CANCELLED
    assert client_for(None).get(cancel_link).status_code == 400
    assert client_for(None).get("/aktiviteter/tilmelding/bekraeft/nonsense/").status_code == 400
    # The token paths never reach a log line.
    assert "[redacted]" in redact(f"GET {link} 200")
    assert link.split("/")[-2] not in redact(f"GET {link} 200")
    assert cancel_link.split("/")[-2] not in redact(f"GET {cancel_link} 200")


def test_my_sign_ups_lists_only_mine_with_the_private_feed(
    occurrence: Occurrence,
    resident: User,
    board_member: User,
    client_for: Callable[[User | None], Client],
) -> None:
    services.signup_create(occurrence=occurrence, actor=resident)
    url = reverse("activities:my_signups")
    mine = client_for(resident).get(url).content.decode()
    assert "Fællesspisning" in mine
    assert "/aktiviteter/feed/mine/" in mine
    assert "Fællesspisning" not in client_for(board_member).get(url).content.decode()
    assert client_for(None).get(url).status_code == 302
    old = resident.calendar_feed.key
    client_for(resident).post(url, {"reset_feed": "1"})
    resident.calendar_feed.refresh_from_db()
    assert resident.calendar_feed.key != old


def test_on_behalf_page_for_staff_and_organisers_only(
    occurrence: Occurrence,
    organiser: User,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("activities:signup_on_behalf", args=[occurrence.pk])
    for name in ("coordinator", "caretaker", "admin"):
        assert client_for(personas[name]).get(url).status_code == 200, name
    assert client_for(organiser).get(url).status_code == 200
    for name in ("resident", "board_member", "neighbour", "outsider", "no_role"):
        assert client_for(personas[name]).get(url).status_code == 404, name
        assert client_for(personas[name]).post(url, {"name": "X", "phone": "1"}).status_code == 404
    assert client_for(None).get(url).status_code == 302
    response = client_for(personas["caretaker"]).post(
        url, {"name": "Inger Hansen", "phone": "12345678", "places": "1"}
    )
    assert response.status_code == 302
    assert SignUp.objects.get().name == "Inger Hansen"
    missing = client_for(personas["caretaker"]).post(url, {"name": "Jens", "places": "1"})
    assert "telefonnummer" in missing.content.decode()


def test_the_list_shows_names_to_organiser_and_staff_until_held(
    occurrence: Occurrence,
    organiser: User,
    resident: User,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    clock: object,
) -> None:
    services.signup_create(occurrence=occurrence, actor=resident)
    services.signup_on_behalf(occurrence=occurrence, actor=organiser, name="Inger", phone="123")
    url = reverse("activities:occurrence_signups", args=[occurrence.pk])
    for user in (organiser, personas["coordinator"], personas["caretaker"]):
        page = client_for(user).get(url).content.decode()
        assert resident.get_full_name() in page
        assert "Inger" in page
    for name in ("resident", "board_member", "neighbour", "outsider", "no_role"):
        assert client_for(personas[name]).get(url).status_code == 404, name
    # Once held: counts only.
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=occurrence.starts_at - timedelta(days=30),
        ends_at=occurrence.ends_at - timedelta(days=30),
    )
    page = client_for(organiser).get(url).content.decode()
    assert resident.get_full_name() not in page
    assert "Inger" not in page
    assert "Pladser taget: 2" in page


def test_staff_cancel_from_the_list(
    occurrence: Occurrence,
    resident: User,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    signup = services.signup_create(occurrence=occurrence, actor=resident).signup
    url = reverse("activities:signup_remove", args=[signup.pk])
    for name in ("board_member", "neighbour", "outsider"):
        assert client_for(personas[name]).post(url, {"confirmed": "yes"}).status_code == 404
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED
    assert client_for(personas["coordinator"]).post(url).status_code == 302
    assert SignUp.objects.get().status == SignUpStatus.CANCELLED


def test_the_partial_renders_in_another_page(occurrence: Occurrence, resident: User) -> None:
    """Engineer A's activity page includes ``activities/_signup.html`` per occurrence."""
    request = RequestFactory().get("/aktiviteter/1/")
    request.user = resident
    html = render_to_string(
        "activities/_signup.html",
        {"occurrence": occurrence, "activity": occurrence.activity, "user": resident},
        request=request,
    )
    assert f'id="signup-{occurrence.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/aktiviteter/1/"' in html


def test_department_feed_link_in_the_api_departments(
    dept_a: Department, resident: User, api_for: Callable
) -> None:
    rows = api_for(resident).get("/api/v1/departments").json()
    feed = next(r["activities_feed"] for r in rows if r["code"] == dept_a.code)
    assert feed.endswith(f"/aktiviteter/feed/{dept_a.pk}.ics")
    assert Client().get(feed.split("testserver")[1]).status_code == 200


def _detail_queries(client: Client, activity: Activity) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("activities:detail", args=[activity.pk])
    client.get(url)  # warm the session and the catalogue
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def test_the_activity_page_costs_the_same_queries_for_2_and_10_dates(
    dept_a: Department,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    resident = personas["resident"]
    client = client_for(resident)
    counts = {}
    for n in (2, 10):
        activity = make_activity([dept_a], title=f"Café {n}", capacity=5)
        dates = [
            make_occurrence(activity, activity.starts_at + timedelta(days=7 * i)) for i in range(n)
        ]
        # Some sign-ups on every date, the resident's own on one.
        for occurrence in dates:
            SignUp.objects.create(
                occurrence=occurrence, name="Ida", places=2, status=SignUpStatus.CONFIRMED
            )
        SignUp.objects.create(
            occurrence=dates[-1], user=resident, places=1, status=SignUpStatus.CONFIRMED
        )
        counts[n], page = _detail_queries(client, activity)
        assert page.count('class="signup-box"') == n
        assert page.count("3 ledige pladser") == n - 1
        assert "Du er tilmeldt" in page
    assert counts[10] == counts[2], counts


def test_the_calendar_list_offers_sign_up_to_whom_may_join(
    dept_a: Department,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("activities:department_calendar", args=[dept_a.pk])
    meal = make_activity([dept_a], capacity=3, title="Spisning")
    first = make_occurrence(meal)
    make_occurrence(make_activity([dept_a], signup_required=False, title="Gåtur"))
    button = f'action="{reverse("activities:signup", args=[first.pk])}"'
    for name in ("resident", "board_member", "caretaker", "coordinator"):
        page = client_for(personas[name]).get(url).content.decode()
        assert button in page, name
        assert "3 ledige pladser" in page, name
        assert page.count('type="submit" aria-describedby') == 1, name  # not on the walk
    for name in ("neighbour", "outsider"):
        page = client_for(personas[name]).get(url).content.decode()
        assert "Spisning" not in page, name
        assert button not in page, name
    assert button not in client_for(None).get(url).content.decode()
    # Signing up from the list comes back to the list, which then says so.
    client = client_for(personas["resident"])
    response = client.post(
        reverse("activities:signup", args=[first.pk]), {"next": url + "?view=list"}
    )
    assert response.status_code == 302
    assert response["Location"] == url + "?view=list"
    page = client.get(url).content.decode()
    assert button not in page
    assert "Du er tilmeldt" in page
    # More dates with sign-up cost no more queries.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        make_occurrence(meal, meal.starts_at + timedelta(days=n + 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('type="submit" aria-describedby') == 6
    assert len(many) == len(few)
