"""Referrals for the rights, retention, keys and statistics tests, written field by field.

The handling branch's services create referrals in the product; this branch was built without
them, so the factory writes the model directly: personal fields sealed with the field key and
indexed with the blind index (``wellbeing.crypto``, the same five functions as the
handling branch's ``wellbeing.crypto``; after the merge the import points there).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from lokalsamfund.core.models import Department, User
from lokalsamfund.wellbeing import crypto as rights_crypto
from lokalsamfund.wellbeing.models import (
    EventKind,
    IdentityBasis,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

blind_index = rights_crypto.blind_index
normalise_name = rights_crypto.normalise_name
normalise_address = rights_crypto.normalise_address
seal = rights_crypto.seal
unseal = rights_crypto.unseal

FIELD_KEY = Fernet.generate_key().decode()


@pytest.fixture
def rights_keys(settings: Any) -> Iterator[str]:
    """A field key for the test (the product has no default: docs/deployment.md)."""
    settings.LOKALSAMFUND_FIELD_KEYS = [FIELD_KEY]
    return FIELD_KEY


def make_referral(
    *,
    department: Department,
    referred_by: User | None = None,
    name: str = "",
    address: str = "",
    identity_reason: str = "",
    free_text: str = "",
    observations: Iterable[str] = ("not_seen",),
    urgency: str = "soon",
    child_affected: bool = False,
    status: str = ReferralStatus.RECEIVED,
    outcome: str = "",
    created_at: datetime | None = None,
    last_activity_at: datetime | None = None,
    closed_at: datetime | None = None,
    assigned_to: User | None = None,
    notes: Iterable[str] = (),
) -> Referral:
    now = timezone.now()
    created_at = created_at or now
    if status == ReferralStatus.CLOSED:
        closed_at = closed_at or now
        outcome = outcome or "no_action"
    basis = IdentityBasis.CONSENT if name or address else IdentityBasis.NOT_NAMED
    referral = Referral.objects.create(
        organisation=department.organisation,
        department=department,
        referred_by=referred_by,
        created_at=created_at,
        observations=list(observations),
        urgency=urgency,
        child_affected=child_affected,
        consent_to_contact=bool(name),
        identity_basis=basis,
        legal_basis="GDPR art. 9(2)(a); databeskyttelsesloven § 7(1)",
        resident_name_encrypted=seal(name),
        resident_address_encrypted=seal(address),
        identity_reason_encrypted=seal(identity_reason),
        free_text_encrypted=seal(free_text),
        name_index=blind_index(normalise_name(name)),
        address_index=blind_index(normalise_address(address)),
        status=status,
        outcome=outcome,
        assigned_to=assigned_to,
        last_activity_at=last_activity_at or closed_at or created_at,
        closed_at=closed_at,
    )
    for text in notes:
        ReferralEvent.objects.create(
            referral=referral, kind=EventKind.NOTE, text_encrypted=seal(text), by=assigned_to
        )
    return referral
