from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from lokalsamfund.core import crypto


def test_round_trip_and_rotation(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.LOKALSAMFUND_FIELD_KEYS = [old]
    token = crypto.encrypt("Bor i opgang 3, 2. th.")
    assert "opgang" not in token
    settings.LOKALSAMFUND_FIELD_KEYS = [new, old]
    assert crypto.decrypt(token) == "Bor i opgang 3, 2. th."
    rotated = crypto.rotate(token)
    settings.LOKALSAMFUND_FIELD_KEYS = [new]
    assert crypto.decrypt(rotated) == "Bor i opgang 3, 2. th."
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        crypto.decrypt(token)


def test_missing_or_bad_keys_are_named(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="LOKALSAMFUND_FIELD_KEYS is not set"):
        crypto.encrypt("x")
    settings.LOKALSAMFUND_FIELD_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt("x")
