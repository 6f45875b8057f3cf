"""The referral pages: every persona against every page and form; only the right ones
succeed, everyone else gets the same 404 as for a reference that does not exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lokalsamfund.core.models import AuditEntry, Department, User
from lokalsamfund.wellbeing.models import (
    Outcome,
    Referral,
    ReferralStatus,
    WellbeingSettings,
)
from lokalsamfund.wellbeing.services.referrals import referral_close, referral_record

from .conftest import ADDRESS, FREE_TEXT, NAME

CHANGES = {
    "take": {},
    "record": {"kind": "note", "text": "Hemmelig note"},
    "close": {"outcome": Outcome.NO_ACTION},
}


def _without_noise(content: bytes, reference: str) -> str:
    """A page without what differs between any two requests (the masked CSRF token) and the
    path it was asked for (the language form sends the visitor back there)."""
    text = content.decode().replace(reference, "REFERENCE")
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_pages_for_every_persona(
    everyone: dict[str, User | None],
    referral: Referral,
    client_for: Callable[[User | None], Client],
) -> None:
    detail = reverse("wellbeing:detail", args=[referral.reference])
    missing = reverse("wellbeing:detail", args=["no-such-reference"])
    for name, user in everyone.items():
        client = client_for(user)
        if user is None:
            for url in (reverse("wellbeing:new"), reverse("wellbeing:queue"), detail):
                assert client.get(url).status_code == 302, url  # to the login page
            continue
        new = client.get(reverse("wellbeing:new")).status_code
        mine = client.get(reverse("wellbeing:mine")).status_code
        queue = client.get(reverse("wellbeing:queue")).status_code
        page = client.get(detail)
        refers = name in {"caretaker", "other_caretaker", "foreign_caretaker"}
        assert (new, mine) == ((200, 200) if refers else (404, 404)), name
        handles = name in {"social_worker", "social_worker_b", "foreign_social_worker"}
        assert queue == (200 if handles else 404), name
        if name == "social_worker":
            assert page.status_code == 200
            assert NAME in page.content.decode()
            assert FREE_TEXT in page.content.decode()
        elif name == "caretaker":
            assert page.status_code == 200
            text = page.content.decode()
            assert NAME not in text
            assert FREE_TEXT not in text
            assert ADDRESS not in text
        else:
            not_there = client.get(missing)
            assert page.status_code == 404, name
            assert _without_noise(page.content, referral.reference) == _without_noise(
                not_there.content, "no-such-reference"
            ), name
    reads = AuditEntry.objects.filter(action="wellbeing.read")
    assert {e.actor_label for e in reads} == {
        everyone["social_worker"].email,  # type: ignore[union-attr]
        everyone["caretaker"].email,  # type: ignore[union-attr]
    }


@pytest.mark.parametrize("change", ["take", "record", "close", "reassign"])
def test_changes_by_everyone_but_the_social_worker_are_not_found(
    everyone: dict[str, User | None],
    referral: Referral,
    colleague: User,
    client_for: Callable[[User | None], Client],
    change: str,
) -> None:
    url = reverse(f"wellbeing:{change}", args=[referral.reference])
    data = CHANGES.get(change, {"to": colleague.pk})
    for name, user in everyone.items():
        if name == "social_worker":
            continue
        response = client_for(user).post(url, data)
        assert response.status_code == (302 if user is None else 404), name
        if user is None:
            assert response["Location"].startswith(reverse("login"))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert not referral.events.exists()


def test_the_social_worker_handles_through_the_pages(
    referral: Referral,
    social_worker: User,
    colleague: User,
    caretaker: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(social_worker)
    detail = reverse("wellbeing:detail", args=[referral.reference])
    assert client.post(reverse("wellbeing:take", args=[referral.reference])).status_code == 302
    client.post(
        reverse("wellbeing:record", args=[referral.reference]),
        {"kind": "contact", "text": "Hemmelig note"},
    )
    page = client.get(detail).content.decode()
    assert "Hemmelig note" in page
    client.post(reverse("wellbeing:reassign", args=[referral.reference]), {"to": colleague.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == colleague
    client.post(
        reverse("wellbeing:close", args=[referral.reference]), {"outcome": Outcome.VISIT_MADE}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    # The caretaker sees the status and never the note.
    status_page = client_for(caretaker).get(detail).content.decode()
    assert "Hemmelig note" not in status_page
    assert str(ReferralStatus.CLOSED.label) in status_page or "Lukket" in status_page


def test_an_error_is_a_message_not_a_crash(
    referral: Referral, social_worker: User, client_for: Callable[[User | None], Client]
) -> None:
    referral_close(actor=social_worker, referral=referral, outcome=Outcome.NO_ACTION)
    client = client_for(social_worker)
    response = client.post(
        reverse("wellbeing:record", args=[referral.reference]),
        {"kind": "note", "text": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])


def _form_data(department: Department, **extra: Any) -> dict[str, Any]:
    return {
        "department": department.pk,
        "observations": ["post", "not_seen"],
        "urgency": "soon",
        "identity_basis": "not_named",
        **extra,
    }


def test_the_caretaker_refers_and_follows_the_status(
    caretaker: User,
    social_worker: User,
    dept_a: Department,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(caretaker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wellbeing:new"),
            _form_data(
                dept_a,
                identity_basis="consent",
                resident_name=NAME,
                resident_address=ADDRESS,
                consent_to_contact="on",
                free_text=FREE_TEXT,
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("wellbeing:mine") + "?sendt=1"
    referral = Referral.objects.get()
    assert referral.referred_by == caretaker
    assert referral.consent_to_contact
    for personal in (NAME, ADDRESS, FREE_TEXT):
        assert personal not in response["Location"]
        assert all(personal not in m.subject + m.body for m in mail.outbox)
    assert [m.to for m in mail.outbox] == [[social_worker.email]]
    mine = client.get(response["Location"]).content.decode()
    assert "data-clear-draft" in mine
    assert reverse("wellbeing:detail", args=[referral.reference]) in mine
    assert NAME not in mine


def test_a_rejected_referral_keeps_the_form(
    caretaker: User, dept_a: Department, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(caretaker)
    response = client.post(
        reverse("wellbeing:new"), _form_data(dept_a, resident_name=NAME)
    )  # named without a basis
    assert response.status_code == 400
    assert not Referral.objects.exists()
    assert 'data-bound="1"' in response.content.decode()
    assert NAME in response.content.decode()  # the caretaker's input is kept in the form


def test_a_foreign_department_cannot_be_chosen(
    caretaker: User, other_dept: Department, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(caretaker).post(reverse("wellbeing:new"), _form_data(other_dept))
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_form_shows_acute_and_child_guidance(
    caretaker: User,
    org: Any,
    client_for: Callable[[User | None], Client],
) -> None:
    WellbeingSettings.objects.create(
        organisation=org,
        acute_numbers="Vagttelefon 70 11 22 33",
        municipality_report_url="https://kommune.example/underretning",
    )
    page = client_for(caretaker).get(reverse("wellbeing:new")).content.decode()
    assert "112" in page
    assert "Vagttelefon 70 11 22 33" in page
    assert "§§ 132–135" in page
    assert "https://kommune.example/underretning" in page
    assert 'id="free-text-warning"' in page
    assert "diagnose" in page.lower()


def test_the_queue_flags_same_day_and_shows_no_personal_data(
    make_referral: Callable[..., Referral],
    social_worker: User,
    client_for: Callable[[User | None], Client],
) -> None:
    child = make_referral(child_affected=True)
    referral_record(actor=social_worker, referral=child, kind="note", text="Hemmelig note")
    page = client_for(social_worker).get(reverse("wellbeing:queue")).content.decode()
    assert reverse("wellbeing:detail", args=[child.reference]) in page
    assert "badge-warn" in page
    for personal in (NAME, ADDRESS, FREE_TEXT, "Hemmelig note"):
        assert personal not in page
    assert not AuditEntry.objects.filter(action="wellbeing.read").exists()


def test_navigation_shows_the_right_entries(
    caretaker: User,
    social_worker: User,
    coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    new, queue = reverse("wellbeing:new"), reverse("wellbeing:queue")
    caretaker_home = client_for(caretaker).get("/").content.decode()
    assert new in caretaker_home
    assert queue not in caretaker_home
    worker_home = client_for(social_worker).get("/").content.decode()
    assert queue in worker_home
    assert new not in worker_home
    coordinator_home = client_for(coordinator).get("/").content.decode()
    assert new not in coordinator_home
    assert queue not in coordinator_home
