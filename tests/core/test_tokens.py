"""API tokens: lookup, revocation and the throttled "last used" time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalsamfund.core.models import ApiToken, User
from lokalsamfund.core.tokens import LAST_USED_RESOLUTION, token_create, user_for_token

pytestmark = pytest.mark.django_db


def _writes(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")
    ]


def test_token_finds_its_user_and_records_first_use(resident: User) -> None:
    secret = token_create(user=resident)
    assert ApiToken.objects.get(user=resident).last_used_at is None
    assert user_for_token(secret) == resident
    assert ApiToken.objects.get(user=resident).last_used_at is not None


def test_revoked_or_unknown_token_finds_no_one(resident: User) -> None:
    secret = token_create(user=resident)
    ApiToken.objects.filter(user=resident).update(revoked=True)
    assert user_for_token(secret) is None
    assert user_for_token(secret + "x") is None


def test_last_used_is_written_once_per_interval(
    resident: User, clock: time_machine.Coordinates
) -> None:
    secret = token_create(user=resident)
    user_for_token(secret)
    first = ApiToken.objects.get(user=resident).last_used_at
    assert first is not None
    clock.shift(LAST_USED_RESOLUTION - timedelta(seconds=1))
    with CaptureQueriesContext(connection) as ctx:
        assert user_for_token(secret) == resident
    assert _writes(ctx) == []  # a recent use is not written again
    assert ApiToken.objects.get(user=resident).last_used_at == first

    # Past the interval: the next use is recorded.
    clock.shift(timedelta(seconds=2))
    with CaptureQueriesContext(connection) as ctx:
        assert user_for_token(secret) == resident
    assert len(_writes(ctx)) == 1
    recorded = ApiToken.objects.get(user=resident).last_used_at
    assert recorded is not None
    assert recorded > first
