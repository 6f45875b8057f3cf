"""Blind index and sealing helpers for the rights and retention code (engineer W2's branch).

Same five names and semantics as ``wellbeing/crypto.py`` (the handling branch):
``blind_index``, ``normalise_name``, ``normalise_address``, ``seal`` and ``unseal``. When both
branches are merged, the imports of this module point at ``wellbeing.crypto`` and this file is
deleted (see the merge note in docs/wellbeing.md).

The blind index is HMAC-SHA256 (hex) of the normalised value with the blind-index key
(``LOKALSAMFUND_BLIND_INDEX_KEY``; until the handling branch adds that setting, a key derived
from ``LOKALSAMFUND_HASH_KEY``). Normalisation is idempotent: casefold, letters and digits
only, whitespace collapsed, so "Vestergade  12, 2. th" and "vestergade 12 2 th" match.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from lokalsamfund.core import crypto

_NOT_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")


def _normalise(value: str) -> str:
    return _SPACE.sub(" ", _NOT_WORD.sub(" ", value.casefold())).strip()


def normalise_name(value: str) -> str:
    return _normalise(value)


def normalise_address(value: str) -> str:
    return _normalise(value)


def _key() -> bytes:
    key = getattr(settings, "LOKALSAMFUND_BLIND_INDEX_KEY", "") or (
        "blind-index:" + settings.LOKALSAMFUND_HASH_KEY
    )
    return str(key).encode()


def blind_index(value: str) -> str:
    """The keyed index of a name or an address ("" for an empty value)."""
    normalised = _normalise(value)
    if not normalised:
        return ""
    return hmac.new(_key(), normalised.encode(), hashlib.sha256).hexdigest()


def seal(text: str) -> str:
    return crypto.encrypt(text) if text else ""


def unseal(token: str) -> str:
    return crypto.decrypt(token) if token else ""
