"""Second attack (docs/security.md): the value bank's import read the whole upload into
memory and parsed it with its own CSV reader (a 500 on a field over 128 KiB); it now goes
through core.tabular like every other uploaded table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lokalsamfund.core.models import Organisation, User
from lokalsamfund.decisions.models import ValueBankEntry

pytestmark = pytest.mark.django_db

BANK_HEADER = b"outcome,value,unit,source\n"


def _import_bank(client: Client, data: bytes, name: str = "bank.csv") -> str:
    """The parameters page after the import, with its messages (in Danish)."""
    response = client.post(
        "/beslutninger/vaerdibank/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_value_bank_is_read_by_the_limited_reader(
    client_for: Callable[[User | None], Client], coordinator: User, org: Organisation
) -> None:
    client = client_for(coordinator)
    client.raise_request_exception = False
    # A quoted field over 128 KiB was a 500 (csv.Error); now the reader names the line.
    page = _import_bank(client, BANK_HEADER + b'"' + b"x" * 200_000 + b'",1,DKK/person/year,S\n')
    assert "linje 2: rækken kan ikke læses" in page
    # A cell over the reader's limit (10,000 characters) that csv itself would take.
    page = _import_bank(client, BANK_HEADER + b"x" * 20_000 + b",1,DKK/person/year,S\n")
    assert "linje 2, kolonne A (outcome): cellen har mere end 10.000 tegn" in page
    # A file over the bank's 2 MB is refused by its size, before any row is parsed.
    page = _import_bank(client, BANK_HEADER + b"A,1,DKK/person/year,S\n" * 100_000)
    assert "Filen er større end" in page
    # 200,000 columns: one short message.
    page = _import_bank(client, BANK_HEADER + b",".join([b"a"] * 200_000) + b"\n")
    assert "rækken har 200.000 kolonner; der læses højst 20" in page
    # A NUL character in a cell would have been stored (and failed on PostgreSQL).
    page = _import_bank(client, BANK_HEADER + b"A\x00B,1,DKK/person/year,S\n")
    assert "NUL" in page
    assert not ValueBankEntry.objects.filter(organisation=org).exists()


def test_the_value_bank_reads_danish_excel_files_and_empty_last_cells(
    client_for: Callable[[User | None], Client], coordinator: User, org: Organisation
) -> None:
    client = client_for(coordinator)
    page = _import_bank(client, b"outcome;value;unit;source\nA;1.234,5;DKK/person/year;\n")
    assert "linje 2, kolonne source: må ikke være tom" in page
    _import_bank(
        client, "outcome;value;unit;source\nÆldre;1.234,5;DKK/person/year;Kilde\n".encode("cp1252")
    )
    entry = ValueBankEntry.objects.get(organisation=org)
    assert (entry.outcome, entry.value, entry.source) == ("Ældre", 1234.5, "Kilde")
