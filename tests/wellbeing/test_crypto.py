"""The sealing helpers and the blind index (their names and semantics are shared with the
rights engineer's test helper: keep them)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from lokalsamfund.wellbeing import crypto
from lokalsamfund.wellbeing.models import Referral


def test_normalisation_folds_case_punctuation_and_spaces() -> None:
    assert crypto.normalise_name("  Anna-Marie   ÅGÅRD. ") == "anna marie ågård"
    assert crypto.normalise_name("Anna Marie Ågård") == crypto.normalise_name("Anna-Marie Ågård")
    assert crypto.normalise_address("Engparken 12, 1. th.") == "engparken 12 1 th"
    assert crypto.normalise_name("Straße") == crypto.normalise_name("STRASSE")
    assert crypto.normalise_name("") == ""


def test_blind_index_is_hmac_sha256_of_the_normalised_value(settings: Any) -> None:
    settings.LOKALSAMFUND_BLIND_INDEX_KEY = "a key"
    expected = hmac.new(b"a key", b"jens hansen", hashlib.sha256).hexdigest()
    assert crypto.blind_index("Jens  HANSEN.") == expected
    assert crypto.blind_index("jens hansen") == expected
    assert crypto.blind_index("   ") == ""


def test_blind_index_depends_on_the_key(settings: Any) -> None:
    settings.LOKALSAMFUND_BLIND_INDEX_KEY = "one"
    first = crypto.blind_index("Jens Hansen")
    settings.LOKALSAMFUND_BLIND_INDEX_KEY = "two"
    assert crypto.blind_index("Jens Hansen") != first


def test_the_blind_index_key_has_a_default_that_is_not_the_secret_key(settings: Any) -> None:
    from lokalsamfund import settings as project_settings

    key = project_settings.LOKALSAMFUND_BLIND_INDEX_KEY
    assert key
    assert key != project_settings.SECRET_KEY


def test_seal_and_unseal_round_trip_without_plain_text() -> None:
    token = crypto.seal("Gudrun Hansen")
    assert "Gudrun" not in token
    assert crypto.unseal(token) == "Gudrun Hansen"
    assert crypto.seal("") == ""
    assert crypto.unseal("") == ""


def test_empty_fields_need_no_key(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = []
    assert crypto.seal("") == ""
    with pytest.raises(ImproperlyConfigured):
        crypto.seal("x")


def test_identity_on_the_model_is_sealed_and_indexed() -> None:
    referral = Referral()
    crypto.set_identity(referral, name="Gudrun Hansen", address="Engparken 7")
    assert "Gudrun" not in referral.resident_name_encrypted
    assert crypto.sealed(referral, "resident_name") == "Gudrun Hansen"
    assert crypto.sealed(referral, "resident_address") == "Engparken 7"
    assert referral.name_index == crypto.blind_index("gudrun hansen")
    assert referral.address_index == crypto.blind_index("ENGPARKEN 7")
    crypto.set_identity(referral, name="", address="")
    assert referral.name_index == ""
    assert referral.resident_name_encrypted == ""
