"""Key rotation: every referral stays readable, no token remains under the old key, blind
indexes follow the blind-index key, and only the platform rotates."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError

from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.models import AuditEntry, Department, User
from lokalsamfund.wellbeing.models import Referral, ReferralEvent
from lokalsamfund.wellbeing.services.keys import keys_rotate
from tests.wellbeing.factories_rights import blind_index, make_referral, unseal

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def _call(*args: str) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def _tokens() -> list[str]:
    tokens = []
    for referral in Referral.objects.all():
        tokens += [
            referral.resident_name_encrypted,
            referral.resident_address_encrypted,
            referral.identity_reason_encrypted,
            referral.free_text_encrypted,
        ]
    tokens += list(ReferralEvent.objects.values_list("text_encrypted", flat=True))
    return [t for t in tokens if t]


def test_rotation_keeps_every_referral_readable(settings: Any, dept_a: Department) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [OLD]
    referrals = [
        make_referral(
            department=dept_a,
            name=f"Navn {i}",
            address=f"Vej {i}",
            identity_reason="grund" if i else "",
            free_text=f"tekst {i}",
            notes=[f"note {i}", f"note {i}b"],
        )
        for i in range(3)
    ]
    make_referral(department=dept_a)  # nothing personal: nothing to rotate
    before = _tokens()
    assert len(before) == 17

    settings.LOKALSAMFUND_FIELD_KEYS = [NEW, OLD]
    with pytest.raises(CommandError, match="17 values are not under the newest key"):
        _call("check")
    output = _call("rotate")
    assert "Re-encrypted 17 values with the newest key" in output
    assert "wellbeing.Referral: 11" in output
    assert "wellbeing.ReferralEvent: 6" in output
    assert "Navn" not in output
    assert "Every value is under the newest key." in _call("check")

    # The old key is gone: everything opens with the new key alone, nothing with the old.
    settings.LOKALSAMFUND_FIELD_KEYS = [NEW]
    after = _tokens()
    assert not set(before) & set(after)
    old = Fernet(OLD.encode())
    for token in after:
        with pytest.raises(InvalidToken):
            old.decrypt(token.encode())
    for i, referral in enumerate(referrals):
        referral.refresh_from_db()
        assert unseal(referral.resident_name_encrypted) == f"Navn {i}"
        assert unseal(referral.free_text_encrypted) == f"tekst {i}"
        notes = [unseal(e.text_encrypted) for e in referral.events.order_by("pk")]
        assert notes == [f"note {i}", f"note {i}b"]
    entry = AuditEntry.objects.get(action="wellbeing.keys_rotated")
    assert entry.data == {"tokens": 17, "reindexed": 0}


def test_rotation_recomputes_blind_indexes(settings: Any, dept_a: Department) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [OLD]
    referral = make_referral(department=dept_a, name="Anna Hansen", address="Vej 1")
    settings.LOKALSAMFUND_BLIND_INDEX_KEY = "a new blind-index key"
    assert blind_index("Anna Hansen") != referral.name_index
    output = _call("rotate")
    assert "1 blind indexes recomputed" in output
    referral.refresh_from_db()
    assert referral.name_index == blind_index("anna  HANSEN")
    assert referral.address_index == blind_index("vej 1")


def test_only_the_platform_rotates(settings: Any, caretaker: User) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [OLD]
    with pytest.raises(Forbidden):
        keys_rotate(actor=caretaker)


def test_without_keys_the_command_says_so(settings: Any, dept_a: Department) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = []
    with pytest.raises(CommandError, match="LOKALSAMFUND_FIELD_KEYS"):
        _call("check")


def test_generate_prints_a_fernet_key() -> None:
    key = _call("generate").strip()
    Fernet(key.encode())
