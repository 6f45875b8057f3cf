"""Project groups: every persona against the pages, members only inside, documents served to
members only, joining and leaving, inviting someone from outside (the network-only role)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from lokalsamfund.core import invitations
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Invitation, Organisation, Role, User
from lokalsamfund.network import groups
from lokalsamfund.network.group_models import GroupDocument, GroupMember, ProjectGroup
from tests.conftest import PASSWORD

from .groups_fixtures import DOCUMENT_TEXT, architect, day, document, group, meeting

__all__ = ["architect", "day", "document", "group", "meeting"]

pytestmark = pytest.mark.django_db

TAKE_PART = {"admin", "coordinator", "outsider", "architect"}


@pytest.fixture
def everyone(personas: dict[str, User], architect: User) -> dict[str, User]:
    return {**personas, "architect": architect}


def test_group_list_for_every_persona(
    everyone: dict[str, User], group: ProjectGroup, client_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        response = client_for(user).get("/netvaerk/grupper/")
        expected = 200 if name in TAKE_PART else 403
        assert response.status_code == expected, name
        if expected == 200:
            assert group.title in response.content.decode()
    assert client_for(None).get("/netvaerk/grupper/").status_code == 302


def test_group_page_shows_members_and_documents_to_members_only(
    everyone: dict[str, User],
    group: ProjectGroup,
    document: GroupDocument,
    meeting: Any,
    client_for: Callable[..., Any],
) -> None:
    for name, user in everyone.items():
        response = client_for(user).get(f"/netvaerk/grupper/{group.pk}/")
        if name not in TAKE_PART:
            assert response.status_code == 403, name
            continue
        assert response.status_code == 200, name
        text = response.content.decode()
        inside = name in {"coordinator", "architect"}
        assert ("Asta Arkitekt" in text) is inside, name
        assert ("Kommissorium" in text) is inside, name
        assert ("Gruppemøde" in text) is inside, name
        assert (f"/netvaerk/grupper/{group.pk}/deltag/" in text) is not inside, name


def test_a_document_is_served_to_members_only_and_otherwise_does_not_exist(
    everyone: dict[str, User],
    document: GroupDocument,
    client_for: Callable[..., Any],
) -> None:
    missing = document.pk + 1000
    for name, user in everyone.items():
        client = client_for(user)
        response = client.get(f"/netvaerk/dokumenter/{document.pk}/")
        if name in {"coordinator", "architect"}:
            assert response.status_code == 200, name
            assert response.content == DOCUMENT_TEXT
            assert response["Content-Disposition"] == 'attachment; filename="plan.txt"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]
        else:
            assert response.status_code == 404, name
            assert DOCUMENT_TEXT not in response.content
            other = client.get(f"/netvaerk/dokumenter/{missing}/")
            assert other.status_code == 404  # the same answer as a document that does not exist
    anonymous = client_for(None).get(f"/netvaerk/dokumenter/{document.pk}/")
    assert anonymous.status_code == 302
    assert DOCUMENT_TEXT not in anonymous.content


def test_upload_checks_size_type_and_content(
    group: ProjectGroup,
    coordinator: User,
    outsider: User,
    client_for: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(coordinator)
    url = f"/netvaerk/grupper/{group.pk}/dokumenter/"
    pdf = SimpleUploadedFile("referat.pdf", b"%PDF-1.4 referat", content_type="application/pdf")
    response = client.post(url, {"title": "Referat", "file": pdf}, follow=True)
    assert response.status_code == 200
    assert GroupDocument.objects.get().filename == "referat.pdf"
    bad = [
        ("program.exe", b"MZ...", "kun"),
        ("fake.pdf", b"<html>not a pdf</html>", "PDF"),
        ("empty.txt", b"", ""),
    ]
    for filename, data, _hint in bad:
        response = client.post(
            url, {"file": SimpleUploadedFile(filename, data or b"")}, follow=True
        )
        assert response.status_code == 200
    monkeypatch.setattr(groups, "MAX_DOCUMENT_BYTES", 10)
    response = client.post(url, {"file": SimpleUploadedFile("big.txt", b"x" * 11)}, follow=True)
    assert GroupDocument.objects.count() == 1  # nothing of the refused files was saved
    with pytest.raises(DomainError, match="MB"):
        groups.document_add(
            actor=coordinator, group=group, title="", filename="a.txt", data=b"x" * 11
        )
    with pytest.raises(DomainError):
        groups.document_add(
            actor=coordinator, group=group, title="", filename="a.pdf", data=b"<script>"
        )
    # A non-member cannot add one, by the page or the service.
    assert client_for(outsider).post(url, {"file": pdf}).status_code == 403
    with pytest.raises(Forbidden):
        groups.document_add(actor=outsider, group=group, title="x", filename="a.txt", data=b"x")


def test_join_and_leave_an_open_group(
    group: ProjectGroup, outsider: User, coordinator: User, client_for: Callable[..., Any]
) -> None:
    client = client_for(outsider)
    response = client.post(
        f"/netvaerk/grupper/{group.pk}/deltag/",
        {"affiliation": "Anden Boligorganisation", "role_in_group": "koordinator"},
    )
    assert response.status_code == 302
    assert groups.is_member(outsider, group)
    assert "Asta Arkitekt" in client.get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    with pytest.raises(Conflict):
        groups.group_join(actor=outsider, group=group)
    client.post(f"/netvaerk/grupper/{group.pk}/forlad/")
    assert not groups.is_member(outsider, group)
    # The only contact cannot leave.
    with pytest.raises(Conflict):
        groups.group_leave(actor=coordinator, group=group)
    assert groups.is_contact(coordinator, group)


def test_a_closed_group_is_joined_by_invitation_only(
    group: ProjectGroup, outsider: User, resident: User
) -> None:
    ProjectGroup.objects.filter(pk=group.pk).update(is_open=False)
    group.refresh_from_db()
    with pytest.raises(Forbidden):
        groups.group_join(actor=outsider, group=group, affiliation="X")
    with pytest.raises(Forbidden):  # a resident does not take part in the network
        groups.group_join(actor=resident, group=group, affiliation="X")
    assert not groups.is_member(outsider, group)


def test_contact_invites_someone_from_outside_who_gets_the_network_only_role(
    group: ProjectGroup,
    coordinator: User,
    org: Organisation,
    architect: User,
    outsider: User,
    client_for: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            f"/netvaerk/grupper/{group.pk}/inviter/",
            {
                "email": "bygherre@example.org",
                "affiliation": "Bygherre A/S",
                "role_in_group": "udvikler",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="bygherre@example.org")
    assert invitation.role == Role.NETWORK_MEMBER
    assert invitation.organisation == org  # the inviting contact's organisation
    assert len(mail.outbox) == 1
    token = mail.outbox[0].body.split("/invitation/")[1].split("/")[0]
    account = invitations.invitation_accept(token=token, full_name="Bo Bygherre", password=PASSWORD)
    assert groups.is_member(account, group)
    assert groups.takes_part(account)
    page = client_for(account).get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    assert "Bo Bygherre" in page
    assert "Bygherre A/S" in page
    # Someone who takes part already is added at once, without an invitation.
    groups.group_invite(actor=coordinator, group=group, email=outsider.email, affiliation="Anden")
    assert groups.is_member(outsider, group)
    # Members who do not run the group cannot invite.
    assert (
        client_for(architect)
        .post(
            f"/netvaerk/grupper/{group.pk}/inviter/", {"email": "x@example.org", "affiliation": "X"}
        )
        .status_code
        == 403
    )
    with pytest.raises(Forbidden):
        groups.group_invite(actor=architect, group=group, email="y@example.org", affiliation="Y")


def test_only_who_may_organise_starts_a_group(
    everyone: dict[str, User], org: Organisation, client_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        response = client_for(user).get("/netvaerk/grupper/ny/")
        assert response.status_code == (
            200 if name in {"admin", "coordinator", "outsider"} else 403
        ), name
    with pytest.raises(Forbidden):
        groups.group_create(actor=everyone["architect"], host_organisation=org, title="x", aim="y")
    with pytest.raises(Forbidden):  # another organisation's coordinator cannot host in org
        groups.group_create(actor=everyone["outsider"], host_organisation=org, title="x", aim="y")
    with pytest.raises(DomainError, match="ikke-en-type"):
        groups.group_create(
            actor=everyone["coordinator"],
            host_organisation=org,
            title="x",
            aim="y",
            activity_types=["ikke-en-type"],
        )
    response = client_for(everyone["coordinator"]).post(
        "/netvaerk/grupper/ny/", {"title": "Ny gruppe", "aim": "Et mål", "is_open": "on"}
    )
    assert response.status_code == 302
    created = ProjectGroup.objects.get(title="Ny gruppe")
    assert GroupMember.objects.get(group=created).is_contact
