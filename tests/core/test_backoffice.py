"""The back office is scoped: an organisation's administrators see their own organisation only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.audit import entries_for, log_action
from lokalsamfund.core.models import AuditEntry, Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db


def test_org_admin_sees_only_own_departments(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    dept_a: Department,
    other_dept: Department,
) -> None:
    page = client_for(admin_user).get("/backoffice/core/department/")
    assert page.status_code == 200
    assert dept_a.name in page.content.decode()
    assert other_dept.name not in page.content.decode()
    response = client_for(admin_user).get(f"/backoffice/core/department/{other_dept.pk}/change/")
    assert response.status_code in {302, 404}


def test_org_admin_cannot_create_in_another_organisation(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    org: Organisation,
    other_org: Organisation,
) -> None:
    client = client_for(admin_user)
    response = client.post(
        "/backoffice/core/department/add/",
        {
            "organisation": other_org.pk,
            "code": "Z9",
            "name": "Fremmed",
            "homes": 1,
            "adult_residents": 1,
        },
    )
    assert response.status_code == 200  # the form refuses the foreign organisation
    assert not Department.objects.filter(code="Z9").exists()
    client.post(
        "/backoffice/core/department/add/",
        {"organisation": org.pk, "code": "Z9", "name": "Egen", "homes": 1, "adult_residents": 1},
    )
    assert Department.objects.filter(code="Z9", organisation=org).exists()


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "caretaker", "board_member", "resident", "neighbour", "outsider", "no_role"],
)
def test_others_have_no_back_office(
    client_for: Callable[[User | None], Client], personas: dict[str, User], persona: str
) -> None:
    response = client_for(personas[persona]).get("/backoffice/core/department/")
    assert response.status_code == 302  # to the login page: not staff


def test_audit_log_is_readable_per_organisation(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    coordinator: User,
    org: Organisation,
    other_org: Organisation,
    dept_a: Department,
) -> None:
    log_action(
        actor=coordinator, action="test.changed", organisation=org, obj=dept_a, data={"n": 1}
    )
    log_action(actor=SYSTEM, action="test.foreign", organisation=other_org)
    entry = entries_for(org).get()
    assert (entry.actor, entry.actor_label, entry.object_id, entry.data) == (
        coordinator,
        coordinator.email,
        str(dept_a.pk),
        {"n": 1},
    )
    assert entry.object_type == "core.department"
    page = client_for(admin_user).get("/backoffice/core/auditentry/").content.decode()
    assert "test.changed" in page
    assert "test.foreign" not in page
    # Read only: no one edits the audit trail from the back office.
    response = client_for(admin_user).post(
        f"/backoffice/core/auditentry/{entry.pk}/change/", {"action": "rewritten"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.changed"
