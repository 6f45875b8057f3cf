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


def test_demo_data_protection_contact_answers_a_rights_request(db: None, client: Any) -> None:
    """``databeskyttelse@eksempel.dk`` (password ``demo``) has the rights pages and something
    to find on them: a demo resident named with consent; no referral page otherwise."""
    from lokalsamfund.core.demo import DEMO_ORGANISATION_SLUG
    from lokalsamfund.core.models import Role

    load_demo()
    dpo = User.objects.get(email="databeskyttelse@eksempel.dk")
    assert dpo.check_password("demo")
    assert {m.role for m in dpo.memberships.all()} == {Role.DATA_PROTECTION}
    assert client.login(username=dpo.email, password="demo")
    assert "/henvendelser/rettigheder/" in client.get("/").content.decode()
    base = f"/henvendelser/rettigheder/{DEMO_ORGANISATION_SLUG}/"
    assert client.get(base).status_code == 200
    found = client.post(base, {"name": "Inger Prøve"}).content.decode()
    handled = next(
        r for r in Referral.objects.all() if crypto.sealed(r, "resident_name") == "Inger Prøve"
    )
    assert handled.reference in found
    # Outside a rights request the contact sees no referral, as everyone else.
    assert client.get(f"/referrals/r/{handled.reference}/").status_code == 404
    assert client.get("/referrals/queue/").status_code == 404
