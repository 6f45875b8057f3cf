"""Encryption of personal fields at rest (e.g. caretakers' referrals), with key rotation.

Keys come from ``LOKALSAMFUND_FIELD_KEYS`` (comma-separated Fernet keys, or ``*_FILE``): the
first key encrypts, every key decrypts, so a new key is put first and old data is re-encrypted
with ``rotate()`` before the old key is removed. Make a key with ``Fernet.generate_key()``.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "LOKALSAMFUND_FIELD_KEYS is not set: personal fields cannot be encrypted "
            "(docs/deployment.md)."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "LOKALSAMFUND_FIELD_KEYS holds a key that is not a Fernet key."
        ) from exc


def _current() -> MultiFernet:
    return _fernet(tuple(settings.LOKALSAMFUND_FIELD_KEYS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A personal field cannot be decrypted with the configured keys."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the first (newest) key."""
    return _current().rotate(token.encode()).decode()
