"""Login rate limiting, shared by all server processes through the database."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _key(kind: str, value: str) -> str:
    return kind + ":" + hashlib.sha256(value.strip().lower().encode()).hexdigest()


def keys_for(email: str, client_ip: str) -> list[str]:
    return [_key("email", email), _key("ip", client_ip)]


def is_locked(keys: list[str]) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    limit = settings.LOGIN_FAILURE_LIMIT
    return any(LoginFailure.objects.filter(key=key, at__gte=since).count() >= limit for key in keys)


def record_failure(keys: list[str]) -> None:
    LoginFailure.objects.bulk_create([LoginFailure(key=key) for key in keys])
    # Old entries are of no use; keep the table small.
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS * 2)
    LoginFailure.objects.filter(at__lt=cutoff).delete()


def clear(keys: list[str]) -> None:
    LoginFailure.objects.filter(key__in=keys).delete()
