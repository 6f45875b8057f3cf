"""Sealing a referral's personal fields and the keyed blind indexes that find a person.

- ``seal``/``unseal``: encrypt and decrypt one text with the field keys (``core.crypto``,
  ``LOKALSAMFUND_FIELD_KEYS``, rotation there); an empty text stays empty, so an empty field
  needs no key.
- ``normalise_name``/``normalise_address``: one spelling per person and address (case-folded,
  punctuation a space, whitespace collapsed), so "Jens  Hansen" and "jens hansen" match.
- ``blind_index``: HMAC-SHA256 (hex) of the normalised value with the blind-index key
  (``LOKALSAMFUND_BLIND_INDEX_KEY``, settings.py). Without the key the index reveals nothing;
  with it, a rights request finds a person's referrals without decrypting every row. "" for an
  empty value (an unnamed resident has no index).
- ``sealed``/``set_sealed``/``set_identity``: get and set the ``*_encrypted`` fields of a
  ``Referral`` or ``ReferralEvent`` by their plain name ("resident_name", "free_text", ...).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.db import models

from lokalsamfund.core import crypto

SUFFIX = "_encrypted"


def normalise_name(value: str) -> str:
    """Case-folded, letters and digits only, anything else a single space: "Anna-Marie
    Ågård." -> "anna marie ågård" (so a double name matches with or without its hyphen)."""
    text = unicodedata.normalize("NFC", value or "").casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(kept.split())


def normalise_address(value: str) -> str:
    """As ``normalise_name``: "Engparken 12, 1. th." -> "engparken 12 1 th"."""
    return normalise_name(value)


def _key() -> bytes:
    return str(settings.LOKALSAMFUND_BLIND_INDEX_KEY).encode()


def blind_index(value: str) -> str:
    """The keyed hash of the normalised ``value`` (hex), "" for an empty one."""
    normalised = normalise_name(value)
    if not normalised:
        return ""
    return hmac.new(_key(), normalised.encode(), hashlib.sha256).hexdigest()


def seal(text: str) -> str:
    """``text`` encrypted with the newest field key; "" for ""."""
    return crypto.encrypt(text) if text else ""


def unseal(token: str) -> str:
    """The text of a sealed ``token``; "" for ""."""
    return crypto.decrypt(token) if token else ""


def sealed(obj: models.Model, field: str) -> str:
    """The plain text of ``obj.<field>_encrypted``."""
    return unseal(getattr(obj, field + SUFFIX))


def set_sealed(obj: models.Model, field: str, text: str) -> None:
    """Store ``text`` encrypted in ``obj.<field>_encrypted`` (not saved)."""
    setattr(obj, field + SUFFIX, seal(text.strip()))


def set_identity(obj: models.Model, *, name: str, address: str) -> None:
    """Store a resident's name and address encrypted, with their blind indexes (not saved)."""
    set_sealed(obj, "resident_name", name)
    set_sealed(obj, "resident_address", address)
    obj.name_index = blind_index(name)  # type: ignore[attr-defined]
    obj.address_index = blind_index(address)  # type: ignore[attr-defined]
