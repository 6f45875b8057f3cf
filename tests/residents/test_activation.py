"""Activation by letter: codes stored only as keyed hashes, one use (held by the database),
voided by a newer letter or a move; wrong codes rate limited; the account gets the home."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from lokalsamfund.core import codes
from lokalsamfund.core.errors import Conflict, NotFound
from lokalsamfund.core.models import LoginFailure, Membership, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.core.ratelimit import TooManyAttempts
from lokalsamfund.residents import services
from lokalsamfund.residents.models import ActivationCode, Tenancy

ADDRESS = "198.51.100.7"


def _letter(tenancy: Tenancy) -> str:
    [(_t, code)] = services.activation_letters_issue(actor=SYSTEM, tenancies=[tenancy])
    return code


def test_only_a_keyed_hash_of_the_code_is_stored(tenancies: list[Tenancy]) -> None:
    code = _letter(tenancies[1])
    stored = ActivationCode.objects.get(tenancy=tenancies[1])
    assert codes.normalise(code) not in stored.code_hash
    assert stored.code_hash == codes.code_hash(code, django_settings.LOKALSAMFUND_HASH_KEY)


def test_activation_on_the_page_gives_a_resident_with_the_home(
    tenancies: list[Tenancy], org: Organisation
) -> None:
    tenancy = tenancies[1]
    code = _letter(tenancy)
    client = Client(REMOTE_ADDR=ADDRESS)
    page = client.get("/aktiver/")
    assert page.status_code == 200
    assert "residents/activate.js" in page.content.decode()
    step = client.post("/aktiver/", {"code": code.lower().replace("-", " ")})
    assert step.status_code == 302
    assert step["Location"] == "/aktiver/konto/"
    account = client.get("/aktiver/konto/")
    assert tenancy.address in account.content.decode()
    done = client.post(
        "/aktiver/konto/",
        {"full_name": "Bo Beboer", "email": "Bo@Eksempel.dk", "password": "lang-og-god-kode-42"},
    )
    assert done.status_code == 302
    user = User.objects.get(email="bo@eksempel.dk")
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.RESIDENT
    assert membership.home == tenancy.home
    assert [d.pk for d in membership.departments.all()] == [tenancy.department_id]
    tenancy.refresh_from_db()
    assert tenancy.activated_at is not None
    assert client.get("/").wsgi_request.user == user  # logged in
    # The code is used up.
    again = Client(REMOTE_ADDR="203.0.113.9").post("/aktiver/", {"code": code})
    assert again.status_code == 400
    assert "kan ikke længere bruges" in again.content.decode()


def test_a_code_is_used_once_even_by_two_at_the_same_time(tenancies: list[Tenancy]) -> None:
    code = _letter(tenancies[1])
    found = services.activation_code_lookup(code=code, client=ADDRESS)
    services.activation_complete(
        code_id=found.pk, user=None, full_name="A", email="a@eksempel.dk", password="x"
    )
    with pytest.raises(Conflict):
        services.activation_complete(
            code_id=found.pk, user=None, full_name="B", email="b@eksempel.dk", password="x"
        )
    assert not User.objects.filter(email="b@eksempel.dk").exists()


def test_a_newer_letter_and_a_move_void_the_code(tenancies: list[Tenancy]) -> None:
    first = _letter(tenancies[1])
    second = _letter(tenancies[1])
    with pytest.raises(NotFound):
        services.activation_code_lookup(code=first, client=ADDRESS)
    services.activation_code_lookup(code=second, client=ADDRESS)
    services.tenancy_move_out(actor=SYSTEM, tenancy=tenancies[1])
    with pytest.raises(NotFound):
        services.activation_code_lookup(code=second, client=ADDRESS)


def test_an_existing_e_mail_must_log_in_and_then_gets_the_home(
    tenancies: list[Tenancy], resident: User, org: Organisation
) -> None:
    code = _letter(tenancies[1])
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/aktiver/", {"code": code})
    refused = client.post(
        "/aktiver/konto/",
        {"full_name": "X", "email": resident.email, "password": "lang-og-god-kode-42"},
    )
    assert refused.status_code == 409
    assert "Log ind" in refused.content.decode()
    assert ActivationCode.objects.get(tenancy=tenancies[1]).used_at is None  # not used up
    client.force_login(resident)
    client.post("/aktiver/", {"code": code})
    assert client.post("/aktiver/konto/").status_code == 302
    membership = Membership.objects.get(user=resident, organisation=org, role=Role.RESIDENT)
    assert membership.home == tenancies[1].home


def test_wrong_codes_are_rate_limited_per_client(settings: Any, tenancies: list[Tenancy]) -> None:
    settings.ACTIVATION_CODE_FAILURE_LIMIT = 3
    code = _letter(tenancies[1])
    client = Client(REMOTE_ADDR=ADDRESS)
    for wrong in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        assert client.post("/aktiver/", {"code": wrong}).status_code == 400
    locked = client.post("/aktiver/", {"code": code})
    assert locked.status_code == 429
    assert "Vent 15 minutter" in locked.content.decode()
    with pytest.raises(TooManyAttempts):
        services.activation_code_lookup(code=code, client=ADDRESS)
    # Another client is not affected; nothing about the code or the client is stored in clear.
    assert Client(REMOTE_ADDR="203.0.113.5").post("/aktiver/", {"code": code}).status_code == 302
    stored = " ".join(LoginFailure.objects.values_list("key", flat=True))
    assert ADDRESS not in stored
    assert codes.normalise(code) not in stored


def test_the_account_step_needs_a_code_first(db: None) -> None:
    response = Client().get("/aktiver/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/aktiver/"


def test_bad_account_input_is_named_and_uses_nothing(tenancies: list[Tenancy]) -> None:
    code = _letter(tenancies[1])
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/aktiver/", {"code": code})
    response = client.post("/aktiver/konto/", {"full_name": "", "email": "nej", "password": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Traceback" not in page
    assert 'aria-invalid="true"' in page or "errorlist" in page
    assert ActivationCode.objects.get(tenancy=tenancies[1]).used_at is None
    assert not User.objects.filter(email="nej").exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_code_make_one_account(
    org: Organisation, dept_a: Any, dept_b: Any, import_file: Any
) -> None:
    import_file("A1;Vej 1;1-0001;;")
    code = _letter(Tenancy.objects.get(number="1-0001"))
    found = services.activation_code_lookup(code=code, client=ADDRESS)
    results: list[str] = []

    def attempt(n: int) -> None:
        from django.db import connection

        try:
            services.activation_complete(
                code_id=found.pk,
                user=None,
                full_name=f"P{n}",
                email=f"p{n}@eksempel.dk",
                password="x",
            )
            results.append("ok")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # SQLite may refuse a concurrent writer
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    assert User.objects.filter(email__startswith="p", email__endswith="@eksempel.dk").count() == 1
