"""API tokens: created once and shown once; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken, User

TOKEN_PREFIX = "lks_"  # noqa: S105 - a public prefix, not a secret
# ``last_used_at`` is written at most once per this interval (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, name: str = "") -> str:
    """Create a token for ``user`` and return its secret text (not stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=token[:8], key_hash=hash_token(token))
    return token


def user_for_token(token: str) -> User | None:
    """The active user of a valid, unrevoked token, else None. Records when the token was
    last used, to within ``LAST_USED_RESOLUTION`` (one write per token per interval)."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
