"""The demo: a social worker, and referrals by the demo caretaker in every state."""

from __future__ import annotations

from typing import Any

import pytest

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import User
from lokalsamfund.wellbeing import crypto
from lokalsamfund.wellbeing.models import Referral, ReferralStatus
from lokalsamfund.wellbeing.permissions import Access, access_to


@pytest.mark.parametrize("keys", [True, False])
def test_demo_referrals_in_every_state(db: None, settings: Any, keys: bool) -> None:
    if not keys:
        settings.LOKALSAMFUND_FIELD_KEYS = []
    load_demo()
    load_demo()  # idempotent
    caretaker = User.objects.get(email="vicevaert@eksempel.dk")
    worker = User.objects.get(email="socialraadgiver@eksempel.dk")
    assert worker.check_password("demo")
    referrals = list(Referral.objects.filter(referred_by=caretaker))
    assert len(referrals) == 5
    assert {r.status for r in referrals} == set(ReferralStatus.values)
    assert any(r.child_affected for r in referrals)
    assert all(access_to(worker, r) == Access.FULL for r in referrals)
    names = [crypto.sealed(r, "resident_name") for r in referrals]
    assert any(names) == keys
