"""Every residents form, posted invalid: each error is shown once, in Danish
(tests/form_errors.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.test import Client

from lokalsamfund.core.models import Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents import services
from lokalsamfund.residents.models import Tenancy
from tests.form_errors import assert_errors_once

ClientFor = Callable[[User | None], Any]
EMPTY = {"csrfmiddlewaretoken": "x"}  # what a browser posts for an empty form


def test_tenancy_import(
    org: Organisation, tenancies: list[Tenancy], coordinator: User, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    assert_errors_once(client.post("/beboere/test-org/import/", EMPTY))
    bad = io.BytesIO("Afdeling;Adresse;Lejemålsnr.\nZ9;Vej 1;1\nA1;;2\n".encode())
    bad.name = "liste.csv"
    assert_errors_once(client.post("/beboere/test-org/import/", {"file": bad}))


def test_move_out(tenancies: list[Tenancy], coordinator: User, client_for: ClientFor) -> None:
    url = f"/beboere/test-org/lejemaal/{tenancies[0].pk}/fraflytning/"
    assert_errors_once(client_for(coordinator).post(url, {"moved_out": "x"}, follow=True))


def test_activation_code(db: None) -> None:
    client = Client(REMOTE_ADDR="198.51.100.8")
    assert_errors_once(client.post("/aktiver/", EMPTY))
    assert_errors_once(client.post("/aktiver/", {"code": "ABCD-EFGH"}))


def test_activation_account(tenancies: list[Tenancy], resident: User) -> None:
    [(_tenancy, code)] = services.activation_letters_issue(actor=SYSTEM, tenancies=[tenancies[1]])
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert client.post("/aktiver/", {"code": code}).status_code == 302
    assert_errors_once(client.post("/aktiver/konto/", {"full_name": "", "email": "x"}))
    # An address that has an account already: the service's error, not the form's.
    assert_errors_once(
        client.post(
            "/aktiver/konto/",
            {"full_name": "Bo", "email": resident.email, "password": "lang-og-god-kode-42"},
        )
    )
