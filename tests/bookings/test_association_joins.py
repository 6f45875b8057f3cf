"""Joining an existing association (by its CVR number) waits for the confirmation of one of
its contacts or of the organisation; a pending request grants nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from lokalsamfund.bookings.models import AssociationJoinRequest, Facility
from lokalsamfund.core import permissions
from lokalsamfund.core.models import (
    Association,
    AuditEntry,
    Membership,
    Organisation,
    Role,
    User,
)
from lokalsamfund.core.permissions import Perm

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Fælleshus-2026-solsikke"
REQUESTER = "frida@example.org"


def _register(client: Client, facility: Facility, cvr: str, email: str = REQUESTER) -> Any:
    return client.post(
        f"/facilities/{facility.slug}/register/",
        {
            "kind": "association",
            "full_name": "Frida Forening",
            "email": email,
            "password": GOOD_PASSWORD,
            "association_name": "Foreningen (ny kontakt)",
            "association_cvr": cvr,
        },
    )


@pytest.fixture
def join_request(
    facility: Facility,
    association: Association,
    association_contact: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> AssociationJoinRequest:
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(Client(), facility, association.cvr)
    assert response.status_code == 302
    return AssociationJoinRequest.objects.get(user__email=REQUESTER)


def _confirm_url(join_request: AssociationJoinRequest) -> str:
    return f"/bookings/association-requests/{join_request.pk}/confirm/"


def _decline_url(join_request: AssociationJoinRequest) -> str:
    return f"/bookings/association-requests/{join_request.pk}/decline/"


def test_a_pending_request_grants_nothing(
    join_request: AssociationJoinRequest,
    association: Association,
    association_contact: User,
    org: Organisation,
    client_for: Callable[[User | None], Client],
) -> None:
    requester = join_request.user
    assert join_request.association == association
    assert join_request.outcome == "pending"
    assert not Membership.objects.filter(user=requester).exists()
    assert Association.objects.count() == 1
    requester.email_verified = True
    requester.save()
    assert not permissions.has_perm(requester, Perm.BOOK_FACILITY, org)
    assert AuditEntry.objects.filter(
        action="bookings.association_join_request", organisation=org
    ).exists()
    # The association's contacts hear of the request.
    to_contact = next(m for m in mail.outbox if m.to == [association_contact.email])
    assert "Frida Forening" in to_contact.body
    # The requester can log in; the page says the request waits.
    page = client_for(requester).get("/bookings/")
    assert page.status_code == 200
    assert "venter" in page.content.decode()
    assert association.name in page.content.decode()


@pytest.mark.parametrize("decider", ["association", "admin", "coordinator"])
def test_a_contact_of_the_association_or_the_organisation_confirms(
    join_request: AssociationJoinRequest,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    org: Organisation,
    django_capture_on_commit_callbacks: Callable[..., Any],
    decider: str,
) -> None:
    client = client_for(personas[decider])
    listing = client.get("/bookings/association-requests/")
    assert listing.status_code == 200
    assert "Frida Forening" in listing.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_url(join_request))
    assert response.status_code == 302
    membership = Membership.objects.get(user=join_request.user)
    assert (membership.role, membership.association) == (Role.ASSOCIATION, join_request.association)
    join_request.refresh_from_db()
    assert (join_request.outcome, join_request.decided_by) == ("confirmed", personas[decider])
    assert join_request.decided_at is not None
    assert permissions.has_perm(join_request.user, Perm.BOOK_FACILITY, org)
    assert AuditEntry.objects.filter(action="bookings.association_join_confirmed").count() == 1
    assert [m.to for m in mail.outbox] == [[REQUESTER]]
    # Decided once: a second decision changes nothing.
    again = client.post(_decline_url(join_request), follow=True)
    assert "allerede" in again.content.decode()
    join_request.refresh_from_db()
    assert join_request.outcome == "confirmed"
    assert Membership.objects.filter(user=join_request.user).count() == 1


@pytest.mark.parametrize(
    "who", ["other_contact", "other_admin", "outsider", "resident", "caretaker", "requester"]
)
def test_others_may_not_decide_and_do_not_see_the_request(
    join_request: AssociationJoinRequest,
    personas: dict[str, User],
    make_user: Callable[..., User],
    org: Organisation,
    other_org: Organisation,
    client_for: Callable[[User | None], Client],
    who: str,
) -> None:
    if who == "other_contact":
        other = Association.objects.create(organisation=org, name="Anden forening", cvr="99887766")
        user = make_user(Role.ASSOCIATION, org)
        Membership.objects.filter(user=user).update(association=other)
    elif who == "other_admin":
        user = make_user(Role.ORG_ADMIN, other_org, is_staff=True)
    elif who == "requester":
        user = join_request.user
    else:
        user = personas[who]
    client = client_for(user)
    assert client.post(_confirm_url(join_request)).status_code == 404
    assert client.post(_decline_url(join_request)).status_code == 404
    listing = client.get("/bookings/association-requests/")
    assert listing.status_code == 404 or "Frida Forening" not in listing.content.decode()
    join_request.refresh_from_db()
    assert join_request.outcome == "pending"
    assert not Membership.objects.filter(user=join_request.user).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(
    join_request: AssociationJoinRequest, client: Client
) -> None:
    response = client.post(_confirm_url(join_request))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    join_request.refresh_from_db()
    assert join_request.outcome == "pending"


def test_declining_tells_the_person_without_saying_who(
    join_request: AssociationJoinRequest,
    association_contact: User,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(association_contact).post(_decline_url(join_request))
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert (join_request.outcome, join_request.decided_by) == ("declined", association_contact)
    assert not Membership.objects.filter(user=join_request.user).exists()
    assert AuditEntry.objects.filter(action="bookings.association_join_declined").count() == 1
    (message,) = mail.outbox
    assert message.to == [REQUESTER]
    assert "afvist" in message.subject + message.body  # Danish
    for detail in (association_contact.email, association_contact.get_full_name()):
        assert detail not in message.subject + message.body
    # The requester's page no longer says the request waits.
    page = client_for(join_request.user).get("/bookings/").content.decode()
    assert "venter på" not in page


def test_double_requests(
    join_request: AssociationJoinRequest,
    facility: Facility,
    association: Association,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Registering again with the same address creates nothing (the answer is the same).
    with django_capture_on_commit_callbacks(execute=True):
        again = _register(Client(), facility, association.cvr)
    assert again.status_code == 302
    assert AssociationJoinRequest.objects.count() == 1
    # The database holds one waiting request per person and association.
    with pytest.raises(IntegrityError), transaction.atomic():
        AssociationJoinRequest.objects.create(association=association, user=join_request.user)


def test_an_unknown_cvr_creates_the_association_at_once(
    facility: Facility, association: Association
) -> None:
    response = _register(Client(), facility, "55667788")
    assert response.status_code == 302
    membership = Membership.objects.get(user__email=REQUESTER)
    assert membership.association is not None
    assert membership.association.cvr == "55667788"
    assert not AssociationJoinRequest.objects.exists()


def test_the_back_office_lists_and_decides_requests(
    join_request: AssociationJoinRequest,
    admin_user: User,
    make_user: Callable[..., User],
    other_org: Organisation,
    client_for: Callable[[User | None], Client],
) -> None:
    url = "/backoffice/bookings/associationjoinrequest/"
    other_admin = make_user(Role.ORG_ADMIN, other_org, is_staff=True)
    assert "Frida Forening" not in client_for(other_admin).get(url).content.decode()
    client = client_for(admin_user)
    assert "Frida Forening" in client.get(url).content.decode()
    response = client.post(
        url, {"action": "confirm_selected", "_selected_action": [str(join_request.pk)]}
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.outcome == "confirmed"
    assert Membership.objects.filter(user=join_request.user, role=Role.ASSOCIATION).exists()


def test_the_start_page_says_the_request_waits(
    join_request: AssociationJoinRequest, client_for: Callable[[User | None], Client]
) -> None:
    page = client_for(join_request.user).get("/").content.decode()
    assert "Din anmodning om at blive foreningskontakt" in page
    assert "/bookings/" in page
