"""Issue 13's work days on a phone (390 px), with axe: the caretaker records hours on their
green week page (``/groenne/min-uge/``) and sees them listed; a resident who is a member of the
garden signs up for a task on the work day's page and sees the sign-up and the hands counted.
The demo's garden and work day (``green/demo_work.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import Department, User
from lokalsamfund.green.models import DriftenHours, TaskSignUp, WorkDay, WorkTask

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
CARETAKER = "vicevaert@eksempel.dk"
RESIDENT = "beboer@eksempel.dk"


def checked(page: Page, assert_accessible: Callable[[Page], None]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_a_caretaker_records_hours_on_their_green_week(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    caretaker = User.objects.get(email=CARETAKER)
    a2 = Department.objects.get(code="A2", organisation__memberships__user=caretaker)
    before = DriftenHours.objects.filter(caretaker=caretaker).count()
    page.set_viewport_size(PHONE)
    login(page, CARETAKER)
    page.goto("/groenne/min-uge/")
    expect(page.get_by_role("heading", name="Min grønne uge", level=1)).to_be_visible()
    checked(page, assert_accessible)

    form = page.locator("#record-hours")
    form.get_by_label("Afdeling").select_option(str(a2.pk))
    form.get_by_label("Timer").fill("2.5")
    form.get_by_label("Hvad").fill("Beskar frugttræerne")
    with page.expect_navigation():
        form.get_by_role("button").click()

    expect(page.locator(".messages")).to_contain_text("Dine timer er registreret")
    entry = page.locator("#my-hours li", has_text="Beskar frugttræerne")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("A2")
    expect(entry).to_contain_text("2,5")
    checked(page, assert_accessible)
    row = DriftenHours.objects.filter(caretaker=caretaker).order_by("-pk").first()
    assert DriftenHours.objects.filter(caretaker=caretaker).count() == before + 1
    assert row is not None
    assert (row.department_id, str(row.hours), row.what) == (a2.pk, "2.5", "Beskar frugttræerne")


def test_a_member_signs_up_for_a_task_on_the_work_day(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    resident = User.objects.get(email=RESIDENT)
    work_day = WorkDay.objects.get(group__slug="nyttehaver")
    task = WorkTask.objects.get(work_day=work_day, title="Tøm komposten")
    assert not TaskSignUp.objects.filter(task=task, user=resident).exists()
    page.set_viewport_size(PHONE)
    login(page, RESIDENT)
    page.goto(f"/groenne/arbejdsdag/{work_day.pk}/")
    card = page.locator(f"#task-{task.pk}")
    expect(card).to_contain_text(f"0 af {task.hands} hænder")
    checked(page, assert_accessible)

    with page.expect_navigation():
        card.get_by_role("button", name="Meld dig til Tøm komposten").click()

    card = page.locator(f"#task-{task.pk}")
    expect(card).to_contain_text("Du er tilmeldt.")
    expect(card).to_contain_text(f"1 af {task.hands} hænder")
    expect(card.get_by_role("button", name="Meld fra opgaven")).to_be_visible()
    checked(page, assert_accessible)
    assert TaskSignUp.objects.filter(task=task, user=resident).exists()
    task.refresh_from_db()
    assert task.signed_up_count == 1
