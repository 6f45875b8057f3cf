"""The calendar's pages, persona by persona: who sees, organises and decides what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.activities.models import Activity, ActivitySettings
from lokalsamfund.core.models import Department, Organisation, User

from .conftest import local

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]

ANONYMOUS = "anonymous"


@pytest.fixture
def world(
    make_activity: Callable[..., Activity],
    personas: dict[str, User],
    resident: User,
    caretaker: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
) -> dict[str, Any]:
    from lokalsamfund.core.models import Role

    other_organiser = make_user(Role.CARETAKER, org, [dept_a])
    own = make_activity(actor=caretaker, title="Gåtur", visibility="departments")
    public = make_activity(title="Sommerfest", visibility="public", rrule="")
    proposal = make_activity(actor=resident, title="Strikkeklub")
    return {
        "own": own,
        "public": public,
        "proposal": proposal,
        "users": {**personas, "organiser": caretaker, "other_organiser": other_organiser},
    }


def _client(client_for: Callable[[User | None], Client], world: dict[str, Any], who: str) -> Client:
    return client_for(None if who == ANONYMOUS else world["users"][who])


CALENDAR_SEES = {
    # who: (sees the departments' walk, sees the public party)
    "organiser": (True, True),
    "coordinator": (True, True),
    "board_member": (True, True),
    "resident": (True, True),
    "neighbour": (False, True),
    "outsider": (False, True),
    "no_role": (False, True),
    ANONYMOUS: (False, True),
}


@pytest.mark.parametrize("who", sorted(CALENDAR_SEES))
def test_calendar_list_and_week_show_what_each_persona_may_see(
    world: dict[str, Any], client_for: Callable[[User | None], Client], who: str, dept_a: Department
) -> None:
    client = _client(client_for, world, who)
    walk, party = CALENDAR_SEES[who]
    for url in ("/aktiviteter/", f"/aktiviteter/afdeling/{dept_a.pk}/"):
        page = client.get(url).content.decode()
        assert ("Gåtur" in page) is walk, url
        assert ("Sommerfest" in page) is party, url
        assert "Strikkeklub" not in page
    week = client.get("/aktiviteter/?view=week&week=2026-06-15").content.decode()
    assert ("Gåtur" in week) is walk
    assert client.get("/aktiviteter/?view=week&week=2026-06-08").status_code == 200


def test_calendar_filters(world: dict[str, Any], client_for: Callable[..., Client]) -> None:
    client = client_for(world["users"]["resident"])
    page = client.get("/aktiviteter/?type=gaagruppe").content.decode()
    assert "Gåtur" not in page  # both are fællesspisning in this test
    page = client.get("/aktiviteter/?day=4").content.decode()  # Thursdays
    assert "Gåtur" in page
    page = client.get("/aktiviteter/?day=1").content.decode()
    assert "Gåtur" not in page
    page = client.get("/aktiviteter/?accessible=1").content.decode()
    assert "Gåtur" not in page
    page = client.get("/aktiviteter/?for=seniors").content.decode()
    assert "Gåtur" not in page


DETAIL = {
    # who: status of the departments' walk, of the proposal
    "organiser": (200, 404),
    "other_organiser": (200, 404),
    "coordinator": (200, 200),
    "board_member": (200, 404),
    "resident": (200, 200),  # the resident proposed it
    "neighbour": (404, 404),
    "outsider": (404, 404),
    ANONYMOUS: (404, 404),
}


@pytest.mark.parametrize("who", sorted(DETAIL))
def test_activity_page(world: dict[str, Any], client_for: Callable[..., Client], who: str) -> None:
    client = _client(client_for, world, who)
    own, proposal = DETAIL[who]
    assert client.get(f"/aktiviteter/{world['own'].pk}/").status_code == own
    assert client.get(f"/aktiviteter/{world['proposal'].pk}/").status_code == proposal
    assert client.get(f"/aktiviteter/{world['public'].pk}/").status_code == 200


MANAGE = {
    "organiser": 200,
    "coordinator": 200,
    "other_organiser": 403,
    "board_member": 403,
    "resident": 403,
    "neighbour": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("who", sorted(MANAGE))
def test_organiser_pages(
    world: dict[str, Any], client_for: Callable[..., Client], who: str
) -> None:
    client = _client(client_for, world, who)
    pk = world["own"].pk
    assert client.get(f"/aktiviteter/{pk}/datoer/").status_code == MANAGE[who]
    assert client.get(f"/aktiviteter/{pk}/rediger/").status_code == MANAGE[who]
    occurrence = world["own"].occurrences.order_by("starts_at").first()
    response = client.post(f"/aktiviteter/tid/{occurrence.pk}/note/", {"note": "Husk sko"})
    occurrence.refresh_from_db()
    assert (occurrence.note == "Husk sko") is (MANAGE[who] == 200)
    if MANAGE[who] != 200:
        assert response.status_code == MANAGE[who]


def test_anonymous_is_sent_to_login(
    world: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    client = client_for(None)
    pk = world["own"].pk
    for url in (
        "/aktiviteter/mine/",
        "/aktiviteter/ny/",
        "/aktiviteter/forslag/",
        f"/aktiviteter/{pk}/datoer/",
        f"/aktiviteter/{pk}/rediger/",
    ):
        assert client.get(url).status_code == 302, url


def test_organiser_moves_and_cancels_a_date(
    world: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    client = client_for(world["users"]["organiser"])
    first, second = list(world["own"].occurrences.order_by("starts_at")[:2])
    response = client.post(
        f"/aktiviteter/tid/{first.pk}/flyt/",
        {"date": "2026-06-12", "start_time": "16:00", "end_time": "18:00"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == local(2026, 6, 12, 16, 0)
    client.post(f"/aktiviteter/tid/{second.pk}/aflys/", {"reason": "Regn"})
    second.refresh_from_db()
    assert second.status == "cancelled"
    page = client.get(f"/aktiviteter/{world['own'].pk}/").content.decode()
    assert "Regn" in page


def test_resident_proposes_through_the_form(
    world: dict[str, Any], client_for: Callable[..., Client], dept_a: Department
) -> None:
    client = client_for(world["users"]["resident"])
    assert client.get("/aktiviteter/foreslaa/").status_code == 200
    response = client.post(
        "/aktiviteter/foreslaa/",
        {
            "title": "Lektiecafé",
            "activity_type": "lektiecafe",
            "departments": [dept_a.pk],
            "date": "2026-06-16",
            "start_time": "15:00",
            "duration_minutes": "90",
            "repeats": "FREQ=WEEKLY",
            "until": "2026-12-15",
            "place": "Kælderen",
            "target_group": "children",
            "visibility": "departments",
            "price": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title="Lektiecafé")
    assert activity.status == "proposed"
    assert "UNTIL=20261215T" in activity.rrule
    page = client.post(
        "/aktiviteter/foreslaa/",
        {
            "title": "X",
            "activity_type": "lektiecafe",
            "departments": [dept_a.pk],
            "date": "2026-06-16",
            "start_time": "15:00",
            "duration_minutes": "90",
            "rrule": "FREQ=NEVER",
            "place": "Her",
            "target_group": "children",
            "visibility": "departments",
        },
    ).content.decode()
    assert "cannot be read" in page or "kan ikke læses" in page


PROPOSALS = {
    "coordinator": 200,
    "admin": 200,
    "caretaker": 403,
    "board_member": 403,
    "resident": 403,
    "neighbour": 403,
    "outsider": 200,  # decides its own organisation's proposals, sees none of ours
}
DECIDES = {"coordinator", "admin"}


@pytest.mark.parametrize("who", sorted(PROPOSALS))
def test_proposals_queue(
    world: dict[str, Any], client_for: Callable[..., Client], who: str
) -> None:
    client = _client(client_for, world, who)
    response = client.get("/aktiviteter/forslag/")
    assert response.status_code == PROPOSALS[who]
    assert ("Strikkeklub" in response.content.decode()) is (who in DECIDES)
    decided = client.post(f"/aktiviteter/{world['proposal'].pk}/beslut/", {"decision": "approve"})
    world["proposal"].refresh_from_db()
    assert (world["proposal"].status == "published") is (who in DECIDES)
    if who not in DECIDES:
        assert decided.status_code in (403, 404)


def test_board_decides_with_the_setting(
    world: dict[str, Any], client_for: Callable[..., Client], org: Organisation
) -> None:
    client = client_for(world["users"]["board_member"])
    ActivitySettings.objects.create(organisation=org, board_may_approve=True)
    assert client.get("/aktiviteter/forslag/").status_code == 200
    client.post(
        f"/aktiviteter/{world['proposal'].pk}/beslut/", {"decision": "decline", "reason": ""}
    )
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == "proposed"  # a reason is required
    client.post(
        f"/aktiviteter/{world['proposal'].pk}/beslut/",
        {"decision": "decline", "reason": "Ikke i år"},
    )
    world["proposal"].refresh_from_db()
    assert world["proposal"].status == "declined"


@pytest.mark.parametrize("who", ["organiser", "resident", ANONYMOUS, "outsider"])
def test_posters_render(
    world: dict[str, Any], client_for: Callable[..., Client], who: str, dept_a: Department
) -> None:
    client = _client(client_for, world, who)
    response = client.get(f"/aktiviteter/{world['public'].pk}/plakat.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    hidden = client.get(f"/aktiviteter/{world['own'].pk}/plakat.pdf")
    assert hidden.status_code == (200 if CALENDAR_SEES[who][0] else 404)
    month = client.get(f"/aktiviteter/afdeling/{dept_a.pk}/plakat/2026-06.pdf")
    assert month.status_code == 200
    assert month.content.startswith(b"%PDF")


def test_front_page_and_menu_link_the_calendar(
    world: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    front = client_for(None).get("/").content.decode()
    assert 'href="/aktiviteter/"' in front
    assert "Det sker" in front
    page = client_for(world["users"]["resident"]).get("/aktiviteter/").content.decode()
    assert 'href="/aktiviteter/mine/"' in page


def test_calendar_costs_the_same_queries_for_more_activities(
    make_activity: Callable[..., Activity],
    client_for: Callable[..., Client],
    resident: User,
    dept_a: Department,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(resident)
    make_activity(title="En")
    client.get(f"/aktiviteter/afdeling/{dept_a.pk}/")  # warm caches (catalogue, session)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/aktiviteter/afdeling/{dept_a.pk}/")
    for n in range(5):
        make_activity(title=f"Flere {n}", rrule="FREQ=DAILY;COUNT=20")
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/aktiviteter/afdeling/{dept_a.pk}/").content.decode()
    assert "Flere 4" in page
    assert len(many) == len(few)


def test_the_form_takes_english_texts_and_the_association_shown_in_the_visitors_language(
    world: dict[str, Any],
    client_for: Callable[..., Client],
    org: Organisation,
    dept_a: Department,
    make_organisation: Callable[..., Organisation],
) -> None:
    from lokalsamfund.core.models import Association

    club = Association.objects.create(organisation=org, name="Boldklubben")
    elsewhere = Association.objects.create(organisation=make_organisation(), name="Andetsteds")
    client = client_for(world["users"]["coordinator"])
    fields = {
        "title": "Fællesspisning",
        "description": "Vi spiser sammen.",
        "title_en": "Shared dinner",
        "description_en": "We eat together.",
        "association": club.pk,
        "activity_type": "faellesspisning",
        "departments": [dept_a.pk],
        "date": "2026-06-18",
        "start_time": "17:30",
        "duration_minutes": "120",
        "place": "Gården",
        "target_group": "everyone",
        "visibility": "departments",
        "price": "0",
    }
    form = client.get("/aktiviteter/ny/").content.decode()
    assert "Boldklubben" in form
    assert "Andetsteds" not in form
    refused = client.post("/aktiviteter/ny/", {**fields, "association": elsewhere.pk})
    assert refused.status_code == 200
    assert not Activity.objects.filter(title="Fællesspisning").exists()
    assert client.post("/aktiviteter/ny/", fields).status_code == 302
    activity = Activity.objects.get(title="Fællesspisning")
    assert activity.association == club
    assert activity.translations == {
        "en": {"title": "Shared dinner", "description": "We eat together."}
    }
    url = f"/aktiviteter/{activity.pk}/"
    danish = client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "<h1>Fællesspisning</h1>" in danish
    assert "Vi spiser sammen." in danish
    assert "Boldklubben" in danish
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Shared dinner</h1>" in english
    assert "We eat together." in english
    # Editing keeps other languages and removes English when both fields are emptied.
    Activity.objects.filter(pk=activity.pk).update(
        translations={**activity.translations, "ar": {"title": "عشاء"}}
    )
    edit = client.get(f"/aktiviteter/{activity.pk}/rediger/").content.decode()
    assert 'value="Shared dinner"' in edit
    changed = {**fields, "title_en": "", "description_en": "", "association": ""}
    assert client.post(f"/aktiviteter/{activity.pk}/rediger/", changed).status_code == 302
    activity.refresh_from_db()
    assert activity.translations == {"ar": {"title": "عشاء"}}
    assert activity.association is None
    assert "<h1>Fællesspisning</h1>" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
