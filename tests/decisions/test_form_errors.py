"""The decision tool's forms, posted invalid: each error is shown once, in Danish, and the
activity's short name is never called "slug" (tests/form_errors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lokalsamfund.core.models import Organisation, User
from tests.form_errors import assert_errors_once

ClientFor = Callable[[User | None], Any]
EMPTY = {"csrfmiddlewaretoken": "x"}  # what a browser posts for an empty form


def test_activity_type(org: Organisation, coordinator: User, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert_errors_once(client.post("/beslutninger/katalog/ny/", EMPTY))
    errors = assert_errors_once(
        client.post("/beslutninger/katalog/ny/", {"slug": "min aktivitet!", "name_da": "X"})
    )
    assert any("kort navn" in e.lower() or "korte navn" in e.lower() for e in errors)


def test_parameter(org: Organisation, coordinator: User, client_for: ClientFor) -> None:
    url = "/beslutninger/parametre/?edit=deadweight"
    client = client_for(coordinator)
    assert_errors_once(client.post(url, {"key": "deadweight", "value": "x"}))
    interval = {
        "key": "deadweight",
        "value": 0.5,
        "low": 0.6,
        "high": 0.7,
        "distribution": "triangular",
        "year": 2025,
        "source": "Egen vurdering",
    }
    assert_errors_once(client.post(url, interval))


def test_value_bank(org: Organisation, coordinator: User, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert_errors_once(client.post("/beslutninger/vaerdibank/", EMPTY, follow=True))
    bad = SimpleUploadedFile("bank.csv", b"outcome,value\nx,y\n", content_type="text/csv")
    assert_errors_once(client.post("/beslutninger/vaerdibank/", {"file": bad}, follow=True))
