"""Fixtures of the residents' tests: a field key for the encrypted contact details, tenancy
files in the housing administration systems' shape, and tenancies."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet
from openpyxl import Workbook

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents import services
from lokalsamfund.residents.importing import parse_tenancies
from lokalsamfund.residents.models import Tenancy

FIELD_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def field_keys(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [FIELD_KEY]


def csv_file(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_file(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = "Afdeling;Adresse;Lejemålsnr.;E-mail;Telefon"


@pytest.fixture
def import_file(
    org: Organisation, dept_a: Department, dept_b: Department
) -> Callable[..., services.ImportPlan]:
    """``import_file(*lines, full_list=True)``: import CSV lines (after the header) as the
    system."""

    def run(*lines: str, full_list: bool = True, header: str = HEADER) -> services.ImportPlan:
        rows = parse_tenancies(csv_file(header, *lines), "liste.csv", departments=["A1", "B1"])
        return services.tenancy_import_apply(
            actor=SYSTEM, organisation=org, rows=rows, full_list=full_list
        )

    return run


@pytest.fixture
def tenancies(import_file: Callable[..., services.ImportPlan], org: Organisation) -> list[Tenancy]:
    """Three tenancies: two in A1 (one with e-mail), one in B1."""
    import_file(
        "A1;Ærtebjergvej 3, st. th.;1-0001;ida@eksempel.dk;12345678",
        "A1;Ærtebjergvej 3, 1. tv.;1-0002;;",
        "B1;Bøgevej 9;2-0001;;+45 87 65 43 21",
    )
    return list(Tenancy.objects.filter(organisation=org).order_by("number"))
