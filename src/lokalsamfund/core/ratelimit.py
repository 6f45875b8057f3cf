"""Rate limiting of failed attempts (logins, survey answer codes, residents' activation
codes) and of requests that send e-mail (password resets, sign-ups without an account),
shared by all server processes through the database.

Each ``Purpose`` has its own limit and window (settings ``<PURPOSE>_FAILURE_LIMIT`` and
``<PURPOSE>_FAILURE_WINDOW_SECONDS``): a key with ``limit`` failures within the window is
locked until the oldest of them leaves the window. A stored row is the key and the time of
the failure, nothing else. The key is ``purpose:kind:HMAC-SHA256(LOKALSAMFUND_HASH_KEY,
value)``, so neither an e-mail address nor a client address is stored in clear, and a copy of
the table cannot be reversed by hashing every IPv4 address without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from .errors import DomainError
from .models import LoginFailure

if TYPE_CHECKING:
    from django.http import HttpRequest


class Purpose(StrEnum):
    LOGIN = "login"
    ANSWER_CODE = "answer_code"
    # Requests for a password reset link: each request counts (they send e-mail).
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret
    ACTIVATION_CODE = "activation_code"
    # Sign-ups without an account: each sends an e-mail to the address given.
    PUBLIC_SIGNUP = "public_signup"


class TooManyAttempts(DomainError):
    """Refused: too many failed attempts within the window (HTTP 429)."""

    status_code = 429


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta

    @property
    def minutes(self) -> int:
        """The window in whole minutes (at least 1), for messages."""
        return max(1, round(self.window.total_seconds() / 60))


def limit_for(purpose: Purpose) -> Limit:
    """The purpose's limit, read from the settings at each call (tests may change them)."""
    name = purpose.value.upper()
    return Limit(
        attempts=int(getattr(settings, f"{name}_FAILURE_LIMIT")),
        window=timedelta(seconds=int(getattr(settings, f"{name}_FAILURE_WINDOW_SECONDS"))),
    )


def _key(purpose: Purpose, kind: str, value: str) -> str:
    digest = hmac.new(
        settings.LOKALSAMFUND_HASH_KEY.encode(),
        f"{purpose}:{kind}:{value.strip().lower()}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"{purpose}:{kind}:{digest}"


def client_network(address: str) -> str:
    """What is limited for a client: its IPv4 address, or the /64 network of an IPv6 address
    (one home or phone gets a whole /64, so single IPv6 addresses would not limit anything)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, behind ``LOKALSAMFUND_PROXY_COUNT`` trusted
    reverse proxies that append to ``X-Forwarded-For``, the address the outermost of them
    saw. (Behind a proxy, ``REMOTE_ADDR`` is the proxy's, which would make one limit for
    everyone.)"""
    proxies = int(getattr(settings, "LOKALSAMFUND_PROXY_COUNT", 0))
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [hop.strip() for hop in header.split(",") if hop.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def keys_for(purpose: Purpose, **values: str) -> list[str]:
    """The keys of one attempt, one per limited thing, e.g.
    ``keys_for(Purpose.LOGIN, email=..., client=...)``; a ``client`` value is reduced to
    its network (``client_network``)."""
    return [
        _key(purpose, kind, client_network(value) if kind == "client" else value)
        for kind, value in values.items()
    ]


def login_keys(request: HttpRequest, email: str = "") -> list[str]:
    """The keys of one way in: the client's network, and the e-mail address when one is
    given (the e-mail's key comes first). Every way to log in (the login page, the back
    office, password reset requests, registration, invitations) uses these keys, so that
    one limit holds for all of them."""
    client = client_address(request)
    values = {"email": email, "client": client} if email else {"client": client}
    return keys_for(Purpose.LOGIN, **values)


def locked_message(purpose: Purpose = Purpose.LOGIN) -> str:
    """The message of a lock, with the window in minutes."""
    from django.utils.translation import ngettext

    minutes = limit_for(purpose).minutes
    if purpose == Purpose.PASSWORD_RESET:
        return ngettext(
            "Too many requests for a new password. Wait %(minutes)d minute.",
            "Too many requests for a new password. Wait %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    if purpose == Purpose.PUBLIC_SIGNUP:
        return ngettext(
            "Too many sign-ups from here or for this e-mail address. Wait %(minutes)d minute.",
            "Too many sign-ups from here or for this e-mail address. Wait %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many failed attempts. Wait %(minutes)d minute, or reset your password.",
        "Too many failed attempts. Wait %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lift_login_lock(request: HttpRequest, email: str) -> None:
    """Lift the login lock of ``email`` and of this client, after the owner of the address
    proved it by completing a password reset (what the locked message promises)."""
    clear(Purpose.LOGIN, login_keys(request, email))


def _checked(purpose: Purpose, keys: list[str]) -> list[str]:
    if not all(key.startswith(f"{purpose}:") for key in keys):
        raise ValueError(f"Keys of another purpose than {purpose}")
    return keys


def is_locked(purpose: Purpose, keys: list[str]) -> bool:
    keys = _checked(purpose, keys)
    limit = limit_for(purpose)
    since = timezone.now() - limit.window
    counts = (
        LoginFailure.objects.filter(key__in=keys, at__gte=since)
        .values("key")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    return any(n >= limit.attempts for n in counts)


def record_failure(purpose: Purpose, keys: list[str]) -> None:
    LoginFailure.objects.bulk_create([LoginFailure(key=key) for key in _checked(purpose, keys)])
    purge()


def purge() -> None:
    """Delete failures that are outside every purpose's window: of no use, so not kept."""
    longest = max(limit_for(p).window for p in Purpose)
    LoginFailure.objects.filter(at__lt=timezone.now() - longest).delete()


def clear(purpose: Purpose, keys: list[str]) -> None:
    LoginFailure.objects.filter(key__in=_checked(purpose, keys)).delete()
