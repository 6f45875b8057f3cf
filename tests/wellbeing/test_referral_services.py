"""Creating and handling referrals: the rules, the audit entries (every read, every change,
no personal data in them) and the notices that say only "a new referral"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from lokalsamfund.core.errors import DomainError, Forbidden, NotFound
from lokalsamfund.core.models import AuditEntry, Department, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing import crypto
from lokalsamfund.wellbeing.models import (
    EventKind,
    IdentityBasis,
    Observation,
    Outcome,
    Referral,
    ReferralStatus,
    Urgency,
)
from lokalsamfund.wellbeing.selectors import (
    queue_for,
    referral_for_reading,
    referrals_made_by,
)
from lokalsamfund.wellbeing.services.referrals import (
    referral_close,
    referral_create,
    referral_reassign,
    referral_record,
    referral_take,
)

from .conftest import ADDRESS, FREE_TEXT, NAME

PERSONAL = (NAME, ADDRESS, FREE_TEXT, "Ågård", "Engparken 7")


def _audit_text() -> str:
    return " ".join(f"{e.object_repr} {e.data}" for e in AuditEntry.objects.all())


def test_create_seals_identity_and_records_the_legal_basis(referral: Referral) -> None:
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert "9(2)(a)" in referral.legal_basis
    assert NAME not in referral.resident_name_encrypted
    assert crypto.sealed(referral, "resident_name") == NAME
    assert referral.name_index == crypto.blind_index(NAME)
    assert referral.address_index == crypto.blind_index(ADDRESS)
    entry = AuditEntry.objects.get(action="wellbeing.create")
    assert entry.object_repr == referral.reference
    assert not any(p in _audit_text() for p in PERSONAL)


def test_vital_interests_needs_a_reason(make_referral: Callable[..., Referral]) -> None:
    with pytest.raises(DomainError, match="vital"):
        make_referral(identity_basis=IdentityBasis.VITAL_INTERESTS, urgency=Urgency.ACUTE)
    referral = make_referral(
        identity_basis=IdentityBasis.VITAL_INTERESTS,
        urgency=Urgency.ACUTE,
        identity_reason="Svarer ikke, lugt fra lejligheden",
    )
    assert "9(2)(c)" in referral.legal_basis
    assert crypto.sealed(referral, "identity_reason").startswith("Svarer")


def test_not_named_means_no_identity(make_referral: Callable[..., Referral]) -> None:
    with pytest.raises(DomainError):
        make_referral(identity_basis=IdentityBasis.NOT_NAMED, resident_name=NAME)
    referral = make_referral(identity_basis=IdentityBasis.NOT_NAMED)
    assert referral.resident_name_encrypted == ""
    assert referral.name_index == ""
    with pytest.raises(DomainError):
        make_referral(identity_basis=IdentityBasis.CONSENT, resident_name="", resident_address="")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"observations": []},
        {"observations": ["diagnosis"]},
        {"urgency": "tomorrow"},
        {"identity_basis": "gossip"},
        {"free_text": "x" * 1001},
    ],
)
def test_create_rejects_bad_input(
    make_referral: Callable[..., Referral], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(DomainError):
        make_referral(**kwargs)
    assert not Referral.objects.exists()


def test_personal_details_need_a_key(make_referral: Callable[..., Referral], settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = []
    with pytest.raises(DomainError, match="LOKALSAMFUND_FIELD_KEYS"):
        make_referral()
    # Nothing personal, nothing to seal: an unnamed referral without text works without keys.
    make_referral(identity_basis=IdentityBasis.NOT_NAMED, free_text="")


@pytest.mark.parametrize(
    "who", ["coordinator", "admin", "board_member", "resident", "outsider", "no_role"]
)
def test_only_caretakers_refer(personas: dict[str, User], dept_a: Department, who: str) -> None:
    with pytest.raises(Forbidden):
        referral_create(
            actor=personas[who],
            department=dept_a,
            observations=[Observation.OTHER],
            urgency=Urgency.SOON,
        )


def test_a_foreign_caretaker_cannot_refer_here(foreign_caretaker: User, dept_a: Department) -> None:
    with pytest.raises(Forbidden):
        referral_create(
            actor=foreign_caretaker,
            department=dept_a,
            observations=[Observation.OTHER],
            urgency=Urgency.SOON,
        )


def test_social_workers_get_a_notice_without_personal_data(
    social_worker: User,
    social_worker_b: User,
    foreign_social_worker: User,
    make_referral: Callable[..., Referral],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(base_url="https://lokalsamfund.example/")
    assert [m.to for m in mail.outbox] == [[social_worker.email]]
    message = mail.outbox[0]
    text = message.subject + message.body
    assert message.subject == "En ny bekymringshenvendelse"
    assert referral.reference not in text
    assert "https://lokalsamfund.example/" in message.body
    for personal in (*PERSONAL, referral.department.name, referral.department.code):
        assert personal not in text


def test_reading_is_audited_and_status_only_for_the_caretaker(
    referral: Referral, social_worker: User, caretaker: User
) -> None:
    read = referral_for_reading(social_worker, referral.reference)
    assert read.full
    assert read.resident_name == NAME
    assert read.free_text == FREE_TEXT
    status = referral_for_reading(caretaker, referral.reference)
    assert not status.full
    assert status.resident_name == ""
    assert status.free_text == ""
    assert status.steps == []
    reads = AuditEntry.objects.filter(action="wellbeing.read").order_by("pk")
    assert [(e.actor, e.data["view"]) for e in reads] == [
        (social_worker, "full"),
        (caretaker, "status"),
    ]
    assert all(e.object_id == str(referral.pk) for e in reads)


def test_reading_by_anyone_else_is_not_found_and_not_logged(
    referral: Referral, everyone: dict[str, User | None]
) -> None:
    from django.contrib.auth.models import AnonymousUser

    for name, user in everyone.items():
        if name in {"social_worker", "caretaker"}:
            continue
        with pytest.raises(NotFound) as seen:
            referral_for_reading(user or AnonymousUser(), referral.reference)
        with pytest.raises(NotFound) as missing:
            referral_for_reading(user or AnonymousUser(), "no-such-reference")
        assert str(seen.value) == str(missing.value)
    assert not AuditEntry.objects.filter(action="wellbeing.read").exists()


def test_handling_from_take_to_close(
    referral: Referral,
    social_worker: User,
    colleague: User,
    caretaker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral_take(actor=social_worker, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS
    assert referral.assigned_to == social_worker
    with pytest.raises(DomainError):
        referral_take(actor=colleague, referral=referral)
    referral_record(
        actor=social_worker, referral=referral, kind=EventKind.CONTACT, text="Ringede, intet svar"
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral_reassign(actor=social_worker, referral=referral, to=colleague)
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert "Ringede" not in mail.outbox[0].body
    referral_close(
        actor=colleague, referral=referral, outcome=Outcome.VISIT_MADE, note="Besøg aflagt"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.closed_at is not None
    assert referral.assigned_to == colleague
    read = referral_for_reading(colleague, referral.reference)
    assert [s.kind for s in read.steps] == ["taken", "contact", "reassigned", "closed"]
    assert read.steps[1].text == "Ringede, intet svar"
    assert "Ringede" not in referral.events.get(kind="contact").text_encrypted
    with pytest.raises(DomainError):
        referral_record(actor=colleague, referral=referral, kind=EventKind.NOTE, text="x")
    actions = list(
        AuditEntry.objects.filter(object_id=str(referral.pk)).values_list("action", flat=True)
    )
    assert actions.count("wellbeing.record") == 1
    assert {"wellbeing.take", "wellbeing.reassign", "wellbeing.close"} <= set(actions)
    assert "Ringede" not in _audit_text()
    assert "Besøg" not in _audit_text()
    # The caretaker sees the status only, never the notes.
    status = referral_for_reading(caretaker, referral.reference)
    assert status.referral.status == ReferralStatus.CLOSED
    assert status.steps == []


def test_recording_takes_a_received_referral(referral: Referral, social_worker: User) -> None:
    referral_record(actor=social_worker, referral=referral, kind=EventKind.NOTE, text="Noteret")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS
    assert referral.assigned_to == social_worker


def test_reassign_only_to_a_social_worker_of_the_department(
    referral: Referral,
    social_worker: User,
    social_worker_b: User,
    foreign_social_worker: User,
    caretaker: User,
) -> None:
    for to in (social_worker_b, foreign_social_worker, caretaker):
        with pytest.raises(DomainError):
            referral_reassign(actor=social_worker, referral=referral, to=to)


@pytest.mark.parametrize(
    "who",
    [
        "caretaker",
        "other_caretaker",
        "coordinator",
        "admin",
        "data_protection",
        "social_worker_b",
        "foreign_social_worker",
        "foreign_caretaker",
        "superuser",
    ],
)
def test_only_social_workers_handle(
    referral: Referral, everyone: dict[str, User | None], who: str
) -> None:
    actor = everyone[who]
    assert actor is not None
    attempts: list[Callable[[], object]] = [
        lambda: referral_take(actor=actor, referral=referral),
        lambda: referral_record(actor=actor, referral=referral, kind="note", text="x"),
        lambda: referral_close(actor=actor, referral=referral, outcome=Outcome.NO_ACTION),
        lambda: referral_reassign(actor=actor, referral=referral, to=actor),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert not referral.events.exists()


def test_close_needs_an_outcome(referral: Referral, social_worker: User) -> None:
    with pytest.raises(DomainError):
        referral_close(actor=social_worker, referral=referral, outcome="")


def test_queue_by_urgency_and_the_caretakers_list(
    make_referral: Callable[..., Referral], social_worker: User, caretaker: User, clock: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now()
    later = make_referral(urgency=Urgency.WHEN_POSSIBLE, now=start - timedelta(days=3))
    soon = make_referral(urgency=Urgency.SOON, now=start - timedelta(days=2))
    child = make_referral(urgency=Urgency.WHEN_POSSIBLE, child_affected=True, now=start)
    acute = make_referral(urgency=Urgency.ACUTE, now=start)
    closed = make_referral(urgency=Urgency.ACUTE, now=start - timedelta(days=9))
    referral_close(actor=social_worker, referral=closed, outcome=Outcome.NO_ACTION)
    assert list(queue_for(social_worker)) == [acute, child, soon, later]
    assert list(queue_for(social_worker, closed=True)) == [closed]
    referral_take(actor=social_worker, referral=soon)
    assert list(queue_for(social_worker, assigned_to_me=True)) == [soon]
    assert set(referrals_made_by(caretaker)) == {later, soon, child, acute, closed}


def test_the_system_may_handle(referral: Referral) -> None:
    referral_take(actor=SYSTEM, referral=referral)
    referral_close(actor=SYSTEM, referral=referral, outcome=Outcome.NO_ACTION)
    assert AuditEntry.objects.filter(action="wellbeing.close", actor=None).exists()
