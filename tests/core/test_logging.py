"""No IP addresses and no secrets from paths in the logs (core/logging.py; docs/security.md,
"Survey anonymity and logs")."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lokalsamfund.core.logging import (
    GUNICORN_ACCESS_FORMAT,
    NOT_SECRET_URL_NAMES,
    SECRET_PARAMETER,
    SECRET_URL_NAMES,
    RedactFilter,
    redact,
)

CODE = "ABCD2345"
TOKEN = "Ll_Gr521mYaylePbEXzL_Q"


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    """(view name, route) of every URL pattern, with its namespace."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", str(entry.pattern)


def test_every_url_pattern_with_a_secret_parameter_is_redacted() -> None:
    found = list(_patterns(get_resolver()))
    secret = {
        name
        for name, route in found
        for parameter in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        if any(SECRET_PARAMETER.search(p) for p in parameter if p)
    }
    assert secret  # the walk found the survey's and the bookings' token patterns
    assert secret <= SECRET_URL_NAMES | NOT_SECRET_URL_NAMES, secret - SECRET_URL_NAMES


@pytest.mark.parametrize(
    "path",
    [
        f"/s/k/{CODE}/",
        f"/s/l/{TOKEN}/",
        f"/bookings/feed/{TOKEN}.ics",
        f"/bookings/verify/{TOKEN}/",
        f"/aktiviteter/tilmelding/bekraeft/{TOKEN}/",
        f"/aktiviteter/tilmelding/afmeld/{TOKEN}/",
        f"/aktiviteter/feed/mine/{TOKEN}.ics",
        f"/password/reset/MQ/{TOKEN}/",
        f"/s/?kode={CODE}",
    ],
)
def test_secret_paths_are_redacted(path: str) -> None:
    line = redact(f"Not Found: {path}")
    assert CODE not in line
    assert TOKEN not in line
    assert "[redacted]" in line or "?…" in line


def test_other_paths_stay_readable() -> None:
    assert redact("Not Found: /undersoegelser/maaling/") == "Not Found: /undersoegelser/maaling/"


def _record(msg: str, args: Any) -> logging.LogRecord:
    return logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, msg, args, None)


def test_gunicorn_access_lines_carry_no_address_and_no_secret() -> None:
    atoms = {
        "h": "203.0.113.7",
        "r": f"GET /s/l/{TOKEN}/ HTTP/1.1",
        "s": "302",
        "b": "0",
        "M": "3",
        "f": f"https://lokalsamfund.example/s/k/{CODE}/",
    }
    assert "%(h)s" not in GUNICORN_ACCESS_FORMAT
    record = _record(GUNICORN_ACCESS_FORMAT + ' "%(f)s" %(h)s', atoms)
    assert RedactFilter().filter(record)
    line = record.getMessage()
    assert TOKEN not in line
    assert CODE not in line
    assert "203.0.113.7" not in line
    assert "/s/l/[redacted]/" in line


def test_djangos_log_lines_go_through_the_filter() -> None:
    """Every line Django writes (django.request's "Not Found: <path>", django.server's
    request line) passes the console handler, which carries the filter."""
    from django.conf import settings

    config = settings.LOGGING
    assert config["filters"]["redact"]["()"] == "lokalsamfund.core.logging.RedactFilter"
    assert all("redact" in h.get("filters", []) for h in config["handlers"].values())
