"""One-time codes on letters (survey answer codes, residents' activation codes): generation,
normalisation and the keyed hash that is all we store.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), printed as
``ABCD-EFGH``: 31^8, about 8.5e11, codes, so guessing one of a round's few hundred codes (or
an organisation's few thousand activation codes) is hopeless. Only
``HMAC-SHA256(LOKALSAMFUND_HASH_KEY, code)`` is stored, so a copy of the database does not give
working codes (nor can codes be tried against it offline without the key). Changing the key
invalidates codes not yet used.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What a resident typed, as the canonical code: upper case, no spaces or dashes."""
    return _NOT_CODE.sub("", text.upper())


def looks_valid(text: str) -> bool:
    code = normalise(text)
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def formatted(code: str) -> str:
    code = normalise(code)
    return f"{code[:4]}-{code[4:]}"


def code_hash(code: str, key: str) -> str:
    return hmac.new(key.encode(), normalise(code).encode(), hashlib.sha256).hexdigest()
