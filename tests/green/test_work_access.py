"""Every persona against the work pages and endpoints: a member of the group, a resident who
has not joined, a neighbour and an association (the group is closed to neighbours), the
caretaker contact, the department's caretaker, a coordinator, an administrator, another
organisation's staff and an anonymous visitor. Other organisations get 404, not 403."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.core.models import Department, User
from lokalsamfund.green import workdays
from lokalsamfund.green.models import (
    DriftenHours,
    GreenGroup,
    MemberHours,
    TaskSignUp,
    WorkDay,
    WorkTask,
)

from .work_fixtures import task, work_day

__all__ = ["task", "work_day"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(personas: dict[str, User], member: User, caretaker_contact: User) -> dict[str, User | None]:
    return {**personas, "member": member, "caretaker_contact": caretaker_contact, "anonymous": None}


SEES_GROUP = {
    "member",
    "resident",
    "board_member",
    "caretaker",
    "caretaker_contact",
    "coordinator",
    "admin",
}
LOGS_DRIFTEN_IN_A = {"caretaker", "admin"}


def test_work_day_page(
    who: dict[str, User | None], client_for: Callable[..., Any], task: WorkTask
) -> None:
    for name, user in who.items():
        response = client_for(user).get(f"/groenne/arbejdsdag/{task.work_day_id}/")
        if user is None:
            assert response.status_code == 302, name
        elif name in SEES_GROUP:
            assert response.status_code == 200, name
            assert task.title in response.content.decode()
        else:
            assert response.status_code == 404, name


def test_sign_up_page_only_members(
    who: dict[str, User | None], client_for: Callable[..., Any], task: WorkTask, member: User
) -> None:
    for name, user in who.items():
        response = client_for(user).post(f"/groenne/opgave/{task.pk}/meld-til/")
        if user is None:
            assert response.status_code == 302, name
            assert "login" in response["Location"], name
        elif name in SEES_GROUP:
            assert response.status_code == 302, name
        else:
            assert response.status_code == 404, name
    assert list(TaskSignUp.objects.values_list("user", flat=True)) == [member.pk]
    client_for(member).post(f"/groenne/opgave/{task.pk}/meld-fra/")
    assert not TaskSignUp.objects.exists()


def test_group_work_page(
    who: dict[str, User | None], client_for: Callable[..., Any], group: GreenGroup, task: WorkTask
) -> None:
    for name, user in who.items():
        response = client_for(user).get(f"/groenne/{group.pk}/arbejde/")
        expected = 302 if user is None else 200 if name in SEES_GROUP else 404
        assert response.status_code == expected, name


def test_member_logs_hours_and_the_contact_confirms_on_the_page(
    client_for: Callable[..., Any],
    group: GreenGroup,
    member: User,
    caretaker_contact: User,
    coordinator: User,
) -> None:
    today = timezone.localdate().isoformat()
    client_for(member).post(
        f"/groenne/{group.pk}/arbejde/",
        {"action": "log", "day": today, "hours": "2", "what": "Lugede"},
    )
    row = MemberHours.objects.get()
    client_for(coordinator).post(
        f"/groenne/{group.pk}/arbejde/", {"action": "confirm", "id": row.pk}
    )
    row.refresh_from_db()
    assert row.confirmed_at is None
    client_for(caretaker_contact).post(
        f"/groenne/{group.pk}/arbejde/", {"action": "confirm", "id": row.pk}
    )
    row.refresh_from_db()
    assert row.confirmed_by == caretaker_contact


def test_my_week_page(
    who: dict[str, User | None], client_for: Callable[..., Any], task: WorkTask
) -> None:
    for name, user in who.items():
        response = client_for(user).get("/groenne/min-uge/")
        if user is None:
            assert response.status_code == 302, name
        elif name in {"caretaker", "caretaker_contact", "admin"}:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 403, name
    page = client_for(who["caretaker_contact"]).get("/groenne/min-uge/").content.decode()
    assert task.title in page
    assert "Muld" in page


def test_caretaker_records_hours_on_the_week_page(
    client_for: Callable[..., Any], caretaker: User, dept_a: Department
) -> None:
    client = client_for(caretaker)
    today = timezone.localdate().isoformat()
    response = client.post(
        "/groenne/min-uge/",
        {"action": "record", "department": dept_a.pk, "day": today, "hours": "1.5", "what": "Bede"},
    )
    assert response.status_code == 302
    row = DriftenHours.objects.get()
    assert (row.caretaker, row.hours) == (caretaker, Decimal("1.5"))
    bad = client.post(
        "/groenne/min-uge/",
        {"action": "record", "department": dept_a.pk, "day": today, "hours": "30", "what": "Bede"},
    )
    assert bad.status_code == 200
    assert DriftenHours.objects.count() == 1
    client.post("/groenne/min-uge/", {"action": "change", "id": row.pk, "hours": "2.5"})
    row.refresh_from_db()
    assert row.hours == Decimal("2.5")


def test_api_tasks(
    who: dict[str, User | None], api_for: Callable[..., Any], task: WorkTask, member: User
) -> None:
    for name, user in who.items():
        listed = api_for(user).get(f"/api/v1/green/work-days/{task.work_day_id}/tasks")
        signed = api_for(user).post(f"/api/v1/green/tasks/{task.pk}/signup")
        if user is None:
            assert (listed.status_code, signed.status_code) == (401, 401), name
        elif name in SEES_GROUP:
            assert listed.status_code == 200, name
            assert listed.json()[0]["hands"] == 2
            assert signed.status_code == (201 if name == "member" else 403), name
        else:
            assert (listed.status_code, signed.status_code) == (404, 404), name
    assert list(TaskSignUp.objects.values_list("user", flat=True)) == [member.pk]
    left = api_for(member).post(f"/api/v1/green/tasks/{task.pk}/leave")
    assert left.status_code == 200
    assert left.json()["signed_up"] == 0
    assert api_for(member).post(f"/api/v1/green/tasks/{task.pk}/leave").status_code == 400


def test_api_member_hours(
    who: dict[str, User | None], api_for: Callable[..., Any], group: GreenGroup, member: User
) -> None:
    body = {"day": timezone.localdate().isoformat(), "hours": "1.5", "what": "Vanding"}
    for name, user in who.items():
        response = api_for(user).post(f"/api/v1/green/groups/{group.pk}/hours", body)
        if user is None:
            assert response.status_code == 401, name
        elif name == "member":
            assert response.status_code == 201, name
        elif name in SEES_GROUP:
            assert response.status_code == 403, name
        else:
            assert response.status_code == 404, name
    row = MemberHours.objects.get()
    assert [
        h["id"] for h in api_for(member).get(f"/api/v1/green/groups/{group.pk}/hours").json()
    ] == [row.pk]
    for name, user in who.items():
        response = api_for(user).post(f"/api/v1/green/hours/{row.pk}/confirm")
        if user is None:
            assert response.status_code == 401, name
        elif name == "caretaker_contact":
            assert response.status_code == 200, name
            assert response.json()["confirmed"], name
        elif name in SEES_GROUP:
            assert response.status_code in {403, 409}, name
        else:
            assert response.status_code == 404, name


def test_api_driften_hours(
    who: dict[str, User | None], api_for: Callable[..., Any], dept_a: Department, caretaker: User
) -> None:
    today = timezone.localdate()
    body = {"department": dept_a.code, "day": today.isoformat(), "hours": "2", "what": "Bede"}
    for name, user in who.items():
        response = api_for(user).post("/api/v1/green/driften-hours", body)
        if user is None:
            assert response.status_code == 401, name
        elif name in LOGS_DRIFTEN_IN_A:
            assert response.status_code == 201, name
        else:
            assert response.status_code == 404, name
    assert DriftenHours.objects.count() == 2
    own = api_for(caretaker).get("/api/v1/green/driften-hours").json()
    assert len(own) == 1  # only the caretaker's own, not the administrator's
    month = today.strftime("%Y-%m")
    query = f"?start={today.replace(day=1).isoformat()}&end={today.isoformat()}"
    for name, user in who.items():
        response = api_for(user).get("/api/v1/green/driften-hours/monthly" + query)
        if user is None:
            assert response.status_code == 401, name
            continue
        assert response.status_code == 200, name
        rows = response.json()
        if name in {"coordinator", "admin", "board_member"}:
            assert rows == [{"department": dept_a.code, "month": month, "hours": "4.0"}], name
        else:
            assert rows == [], name
    bad = api_for(who["admin"]).get(
        f"/api/v1/green/driften-hours/monthly?start={today}&end=2000-01-01"
    )
    assert bad.status_code == 400


def test_other_organisation_cannot_tell_a_work_day_exists(
    api_for: Callable[..., Any], outsider: User, work_day: WorkDay
) -> None:
    missing = api_for(outsider).get("/api/v1/green/work-days/999999/tasks")
    existing = api_for(outsider).get(f"/api/v1/green/work-days/{work_day.pk}/tasks")
    assert missing.status_code == existing.status_code == 404
    assert missing.json() == existing.json()


def test_material_tick_by_the_leader(
    client_for: Callable[..., Any], task: WorkTask, caretaker_contact: User, resident: User
) -> None:
    material = task.materials.get()
    client_for(resident).post("/groenne/min-uge/", {"action": "ordered", "id": material.pk})
    material.refresh_from_db()
    assert material.ordered_at is None
    client_for(caretaker_contact).post(
        "/groenne/min-uge/", {"action": "ordered", "id": material.pk}
    )
    material.refresh_from_db()
    assert material.ordered_at is not None
    assert workdays  # the services behind the page
