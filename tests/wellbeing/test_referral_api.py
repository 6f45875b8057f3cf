"""/api/v1/referrals: every persona against every endpoint; only the right ones succeed,
everyone else gets the same 404 as for a reference that does not exist; every read is
audit-logged; a caretaker's list and read show the status only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import AuditEntry, Department, User
from lokalsamfund.wellbeing.models import Outcome, Referral, ReferralStatus

from .conftest import ADDRESS, FREE_TEXT, NAME

URL = "/api/v1/referrals"
NEW = {
    "department": "A1",
    "observations": ["post", "isolated"],
    "urgency": "acute",
    "identity_basis": "consent",
    "resident_name": NAME,
    "resident_address": ADDRESS,
    "free_text": FREE_TEXT,
}


def test_only_caretakers_create(
    everyone: dict[str, User | None], api_for: Callable[..., Any], dept_a: Department
) -> None:
    for name, user in everyone.items():
        response = api_for(user).post(URL, NEW)
        if name in {"caretaker", "other_caretaker"}:
            assert response.status_code == 201, name
            body = response.json()
            assert set(body) == {"reference", "department", "created_at", "status"}
        elif user is None:
            assert response.status_code == 401
        else:
            assert response.status_code in {400, 403}, name
    assert Referral.objects.count() == 2


def test_create_validates(caretaker: User, api_for: Callable[..., Any], dept_a: Department) -> None:
    client = api_for(caretaker)
    assert client.post(URL, {**NEW, "urgency": "later"}).status_code == 400
    assert client.post(URL, {**NEW, "observations": []}).status_code == 400
    assert client.post(URL, {**NEW, "identity_basis": "not_named"}).status_code == 400
    assert client.post(URL, {**NEW, "department": "X1"}).status_code == 400
    assert not Referral.objects.exists()


def test_reading_for_every_persona(
    everyone: dict[str, User | None], referral: Referral, api_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        client = api_for(user)
        response = client.get(f"{URL}/{referral.reference}")
        if name == "social_worker":
            body = response.json()
            assert response.status_code == 200
            assert body["resident_name"] == NAME
            assert body["free_text"] == FREE_TEXT
        elif name == "caretaker":
            assert response.status_code == 200
            assert set(response.json()) == {"reference", "department", "created_at", "status"}
        elif user is None:
            assert response.status_code == 401
        else:
            missing = client.get(f"{URL}/no-such-reference")
            assert response.status_code == 404, name
            assert response.json() == missing.json(), name
    reads = AuditEntry.objects.filter(action="wellbeing.read")
    assert sorted((e.actor_label, e.data["view"], e.data["surface"]) for e in reads) == sorted(
        [
            (everyone["social_worker"].email, "full", "api"),  # type: ignore[union-attr]
            (everyone["caretaker"].email, "status", "api"),  # type: ignore[union-attr]
        ]
    )


def test_lists(
    everyone: dict[str, User | None], referral: Referral, api_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        response = api_for(user).get(URL)
        if user is None:
            assert response.status_code == 401
            continue
        assert response.status_code == 200, name
        items = response.json()
        if name == "social_worker":
            assert [i["reference"] for i in items] == [referral.reference]
            assert items[0]["same_day"] is False
        elif name == "caretaker":
            assert items == [
                {
                    "reference": referral.reference,
                    "department": "A1",
                    "created_at": items[0]["created_at"],
                    "status": "received",
                }
            ]
        else:
            assert items == [], name
        text = response.content.decode()
        for personal in (NAME, ADDRESS, FREE_TEXT):
            assert personal not in text
    assert not AuditEntry.objects.filter(action="wellbeing.read").exists()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("take", None),
        ("steps", {"kind": "note", "text": "Hemmelig note"}),
        ("reassign", {"to": "COLLEAGUE"}),
        ("close", {"outcome": "no_action"}),
    ],
)
def test_handling_only_by_the_social_worker(
    everyone: dict[str, User | None],
    referral: Referral,
    colleague: User,
    api_for: Callable[..., Any],
    path: str,
    data: dict[str, str] | None,
) -> None:
    if data and data.get("to") == "COLLEAGUE":
        data = {"to": colleague.email}
    url = f"{URL}/{referral.reference}/{path}"
    missing_url = f"{URL}/no-such-reference/{path}"
    for name, user in everyone.items():
        if name == "social_worker":
            continue
        client = api_for(user)
        response = client.post(url, data or {})
        if user is None:
            assert response.status_code == 401
            continue
        assert response.status_code == 404, name
        assert response.json() == client.post(missing_url, data or {}).json()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert not referral.events.exists()
    response = api_for(everyone["social_worker"]).post(url, data or {})
    assert response.status_code in {200, 201}
    assert NAME not in response.content.decode()


def test_the_whole_handling_through_the_api(
    referral: Referral, social_worker: User, colleague: User, api_for: Callable[..., Any]
) -> None:
    client = api_for(social_worker)
    base = f"{URL}/{referral.reference}"
    assert client.post(f"{base}/take").json()["status"] == "in_progress"
    assert client.post(f"{base}/steps", {"kind": "contact", "text": "Ringede"}).status_code == 201
    assert client.post(f"{base}/reassign", {"to": "nobody@example.org"}).status_code == 400
    assert client.post(f"{base}/reassign", {"to": colleague.email}).json()["assigned_to"] == (
        colleague.email
    )
    closed = api_for(colleague).post(f"{base}/close", {"outcome": Outcome.DECLINED})
    assert closed.json()["status"] == "closed"
    detail = api_for(colleague).get(base).json()
    assert [s["kind"] for s in detail["steps"]] == ["taken", "contact", "reassigned", "closed"]
    assert detail["steps"][1]["text"] == "Ringede"
    assert api_for(colleague).get(URL, query_params={"closed": "true"}).json()[0]["outcome"] == (
        "declined"
    )
