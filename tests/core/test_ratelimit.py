"""The failed-attempt limiter: one limit and window per purpose, keyed hashes only, the
client's address behind trusted proxies, IPv6 limited per /64."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from lokalsamfund.core import ratelimit
from lokalsamfund.core.models import LoginFailure
from lokalsamfund.core.ratelimit import Purpose

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def _fail(purpose: Purpose, times: int, **values: str) -> list[str]:
    keys = ratelimit.keys_for(purpose, **values)
    for _ in range(times):
        ratelimit.record_failure(purpose, keys)
    return keys


def test_each_purpose_has_its_own_limit(settings: object) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    settings.ANSWER_CODE_FAILURE_LIMIT = 5  # type: ignore[attr-defined]
    login = _fail(Purpose.LOGIN, 3, client=IP)
    codes = _fail(Purpose.ANSWER_CODE, 4, client=IP)
    assert ratelimit.is_locked(Purpose.LOGIN, login)
    # The same client's failed logins do not count against its answer codes, nor the reverse.
    assert not ratelimit.is_locked(Purpose.ANSWER_CODE, codes)
    ratelimit.record_failure(Purpose.ANSWER_CODE, codes)
    assert ratelimit.is_locked(Purpose.ANSWER_CODE, codes)
    assert not ratelimit.is_locked(Purpose.LOGIN, ratelimit.keys_for(Purpose.LOGIN, client=IP[:-1]))


def test_each_purpose_has_its_own_window(settings: object) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2  # type: ignore[attr-defined]
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60  # type: ignore[attr-defined]
    settings.ANSWER_CODE_FAILURE_LIMIT = 2  # type: ignore[attr-defined]
    settings.ANSWER_CODE_FAILURE_WINDOW_SECONDS = 3600  # type: ignore[attr-defined]
    login = _fail(Purpose.LOGIN, 2, client=IP)
    codes = _fail(Purpose.ANSWER_CODE, 2, client=IP)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=5))
    assert not ratelimit.is_locked(Purpose.LOGIN, login)  # 5 minutes > its 1-minute window
    assert ratelimit.is_locked(Purpose.ANSWER_CODE, codes)  # still inside its hour
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=61))
    assert not ratelimit.is_locked(Purpose.ANSWER_CODE, codes)


def test_old_failures_are_deleted(settings: object) -> None:
    for purpose in Purpose:  # every purpose's window at most 15 minutes
        setattr(settings, f"{purpose.value.upper()}_FAILURE_WINDOW_SECONDS", 600)
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900  # type: ignore[attr-defined]
    settings.PASSWORD_RESET_FAILURE_WINDOW_SECONDS = 900  # type: ignore[attr-defined]
    _fail(Purpose.ANSWER_CODE, 2, client=IP)
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=901))
    _fail(Purpose.LOGIN, 1, client=IP)
    assert LoginFailure.objects.count() == 1


def test_keys_are_keyed_hashes_without_the_address(settings: object) -> None:
    keys = _fail(Purpose.ANSWER_CODE, 1, client=IP)
    stored = LoginFailure.objects.get()
    assert stored.key == keys[0]
    assert IP not in stored.key
    assert hashlib.sha256(IP.encode()).hexdigest() not in stored.key  # not a plain hash
    assert stored.key.startswith("answer_code:client:")
    settings.LOKALSAMFUND_HASH_KEY = "another key"  # type: ignore[attr-defined]
    assert ratelimit.keys_for(Purpose.ANSWER_CODE, client=IP) != keys


def test_keys_of_another_purpose_are_refused() -> None:
    login = ratelimit.keys_for(Purpose.LOGIN, client=IP)
    with pytest.raises(ValueError, match="another purpose"):
        ratelimit.record_failure(Purpose.ANSWER_CODE, login)


def test_ipv6_is_limited_per_64_network() -> None:
    one = ratelimit.keys_for(Purpose.ANSWER_CODE, client="2001:db8:1:2::1")
    same_network = ratelimit.keys_for(Purpose.ANSWER_CODE, client="2001:db8:1:2:ffff::9")
    other_network = ratelimit.keys_for(Purpose.ANSWER_CODE, client="2001:db8:1:3::1")
    assert one == same_network
    assert one != other_network
    mapped = ratelimit.keys_for(Purpose.ANSWER_CODE, client="::ffff:203.0.113.7")
    assert mapped == ratelimit.keys_for(Purpose.ANSWER_CODE, client=IP)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself is not used
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.1"),  # fewer hops than proxies: the direct peer
    ],
)
def test_client_address_behind_trusted_proxies(
    settings: object, proxies: int, forwarded: str, expected: str
) -> None:
    settings.LOKALSAMFUND_PROXY_COUNT = proxies  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected
