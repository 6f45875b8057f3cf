"""The tenancy import: bad files are refused whole with line and column; header variants
of the housing administration systems; reconciliation (added, changed, moving out,
unchanged); nothing is written before the apply."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import translation

from lokalsamfund.core.models import AuditEntry, Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents import services
from lokalsamfund.residents.importing import ImportRejected, parse_tenancies
from lokalsamfund.residents.models import Tenancy

from .conftest import HEADER, csv_file, xlsx_file

CODES = ["A1", "B1"]


def _rejected(data: bytes, filename: str = "liste.csv") -> list[str]:
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        parse_tenancies(data, filename, departments=CODES)
    return caught.value.messages


def test_messages_are_danish_for_danish_users() -> None:
    with translation.override("da"), pytest.raises(ImportRejected) as caught:
        parse_tenancies(
            csv_file(HEADER, "A1;Vej 1;7;;", "A1;Vej 2;7;;"), "l.csv", departments=CODES
        )
    assert caught.value.messages == [
        "linje 3, kolonne C (Lejemålsnr.): '7' står også i linje 2; "
        "et lejemålsnummer må kun stå én gang."
    ]


def test_wrong_and_missing_columns_name_the_column() -> None:
    messages = _rejected(csv_file("Afdeling;Adr;Lejemålsnr.;Navn", "A1;Vej 1;1;Ida"))
    assert any("column B" in m and "'Adr'" in m for m in messages)
    assert any("column D" in m and "'Navn'" in m for m in messages)
    assert any("'Adresse' is missing" in m for m in messages)


def test_an_ignored_column_is_not_read() -> None:
    rows = parse_tenancies(
        csv_file("Afdeling;Adresse;Lejemål;Navn", "A1;Vej 1;1;Ida Hansen"),
        "liste.csv",
        departments=CODES,
        ignore=["navn"],
    )
    assert [(r.department, r.address, r.number) for r in rows] == [("A1", "Vej 1", "1")]


def test_a_column_given_twice_is_refused() -> None:
    messages = _rejected(csv_file("Afdeling;Adresse;Lejemålsnr.;Lejemål", "A1;Vej 1;1;1"))
    assert any("column D" in m and "'Lejemål'" in m and "Lejemålsnr." in m for m in messages)


def test_duplicate_tenancy_numbers_name_both_lines() -> None:
    messages = _rejected(csv_file(HEADER, "A1;Vej 1;7;;", "A1;Vej 2;8;;", "B1;Vej 3;7;;"))
    assert messages == [
        "line 4, column C (Lejemålsnr.): '7' appears also on line 2; "
        "a tenancy number is listed once."
    ]


def test_unknown_departments_and_bad_values_each_get_line_and_column() -> None:
    messages = _rejected(
        csv_file(
            HEADER,
            "Z9;Vej 1;1;;",
            "A1;Vej 2;2;ikke-en-adresse;",
            "A1;Vej 3;3;;12ab",
            "A1;;4;;",
        )
    )
    assert any(
        m.startswith("line 2, column A (Afdeling): 'Z9'") and "A1, B1" in m for m in messages
    )
    assert any(m.startswith("line 3, column D (E-mail): 'ikke-en-adresse'") for m in messages)
    assert any(m.startswith("line 4, column E (Telefon): '12ab'") for m in messages)
    assert any(m.startswith("line 5, column B (Adresse):") for m in messages)
    assert len(messages) == 4


def test_a_refused_file_stores_nothing(
    org: Organisation, dept_a: Department, tenancies: list[Tenancy]
) -> None:
    before = list(Tenancy.objects.values_list("number", "address", "moved_out"))
    entries = AuditEntry.objects.count()
    with pytest.raises(ImportRejected):
        parse_tenancies(
            csv_file(HEADER, "A1;Ny vej 1;9-0001;;", "Z9;Vej;9-0002;;"), "l.csv", departments=CODES
        )
    assert list(Tenancy.objects.values_list("number", "address", "moved_out")) == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    "header",
    [
        "Afdeling;Adresse;Lejemålsnr.;E-mail;Telefon",
        "Afd.nr.;Adresse;Lejemål;Mail;Mobil",
        "AFD;ADRESSE;LEJEMÅLSNR;E-MAIL;TLF.",
    ],
)
def test_header_variants_of_the_administration_systems(header: str) -> None:
    [row] = parse_tenancies(
        csv_file(header, "a1;Vej  1, st.;1-0001;Ida@Eksempel.DK;+45 12 34 56 78"),
        "liste.csv",
        departments=CODES,
    )
    assert (row.department, row.address, row.number) == ("A1", "Vej 1, st.", "1-0001")
    assert (row.email, row.phone) == ("ida@eksempel.dk", "+4512345678")


def test_xlsx_with_numbers_and_dates() -> None:
    import datetime as dt

    rows = parse_tenancies(
        xlsx_file(
            [
                ["Afdeling", "Adresse", "Lejemålsnr.", "Indflytning"],
                ["A1", "Vej 1", 10001, dt.datetime(2020, 8, 1)],  # noqa: DTZ001 - a cell
                ["B1", "Vej 2", "2-1", "15-03-2021"],
            ]
        ),
        "liste.xlsx",
        departments=CODES,
    )
    assert [(r.number, r.moved_in) for r in rows] == [
        ("10001", dt.date(2020, 8, 1)),
        ("2-1", dt.date(2021, 3, 15)),
    ]


def test_reconciliation_counts_before_and_after(
    org: Organisation,
    tenancies: list[Tenancy],
    import_file: Callable[..., services.ImportPlan],
) -> None:
    lines = (
        "A1;Ærtebjergvej 3, st. th.;1-0001;ida@eksempel.dk;12345678",  # unchanged
        "A1;Ærtebjergvej 3, 1. tv.;1-0002;ny@eksempel.dk;",  # changed: e-mail
        "A1;Ærtebjergvej 5;1-0003;;",  # added
    )  # 2-0001 (B1) is not in the file: B1 is not named, so it stays
    rows = parse_tenancies(csv_file(HEADER, *lines), "l.csv", departments=CODES)
    plan = services.tenancy_import_plan(actor=SYSTEM, organisation=org, rows=rows, full_list=True)
    assert plan.counts() == {"added": 1, "changed": 1, "moving_out": 0, "unchanged": 1}
    assert Tenancy.objects.filter(organisation=org).count() == 3  # the plan wrote nothing
    done = import_file(*lines)
    assert done.counts() == plan.counts()
    assert Tenancy.objects.get(number="1-0002").email == "ny@eksempel.dk"
    assert Tenancy.objects.get(number="1-0003").is_active
    assert Tenancy.objects.get(number="2-0001").is_active


def test_a_full_list_moves_out_the_missing_and_a_partial_one_does_not(
    tenancies: list[Tenancy], import_file: Callable[..., services.ImportPlan]
) -> None:
    partial = import_file("A1;Ærtebjergvej 3, st. th.;1-0001;;", full_list=False)
    assert partial.counts()["moving_out"] == 0
    assert Tenancy.objects.get(number="1-0002").is_active
    full = import_file("A1;Ærtebjergvej 3, st. th.;1-0001;;")
    assert [t.number for t in full.moving_out] == ["1-0002"]
    assert Tenancy.objects.get(number="1-0002").moved_out is not None
    # Listed again later: a new tenant (let anew), counted as added.
    again = import_file("A1;Ærtebjergvej 3, st. th.;1-0001;;", "A1;Ærtebjergvej 3, 1. tv.;1-0002;;")
    assert again.counts()["added"] == 1
    assert Tenancy.objects.get(number="1-0002").is_active


def test_without_the_columns_the_contact_details_are_kept(
    tenancies: list[Tenancy], import_file: Callable[..., services.ImportPlan]
) -> None:
    plan = import_file(
        "A1;Ærtebjergvej 3, st. th.;1-0001", header="Afdeling;Adresse;Lejemålsnr.", full_list=False
    )
    assert plan.counts()["unchanged"] == 1
    assert Tenancy.objects.get(number="1-0001").email == "ida@eksempel.dk"


def test_contact_details_are_encrypted_at_rest(tenancies: list[Tenancy]) -> None:
    stored = Tenancy.objects.get(number="1-0001")
    assert "ida" not in stored.email_encrypted
    assert "12345678" not in stored.phone_encrypted
    assert (stored.email, stored.phone, stored.has_email) == ("ida@eksempel.dk", "12345678", True)


def test_without_a_field_key_contact_details_are_refused(
    settings: object, org: Organisation, dept_a: Department
) -> None:
    from lokalsamfund.core.errors import DomainError

    settings.LOKALSAMFUND_FIELD_KEYS = []  # type: ignore[attr-defined]
    data = csv_file(HEADER, "A1;Vej 1;1;ida@eksempel.dk;")
    rows = parse_tenancies(data, "l.csv", departments=CODES)
    with pytest.raises(DomainError, match="LOKALSAMFUND_FIELD_KEYS"):
        services.tenancy_import_apply(actor=SYSTEM, organisation=org, rows=rows, full_list=True)
    assert not Tenancy.objects.exists()


def test_tenancy_numbers_are_unique_per_organisation_only(
    tenancies: list[Tenancy], other_org: Organisation, other_dept: Department
) -> None:
    rows = parse_tenancies(csv_file(HEADER, "X1;Vej 1;1-0001;;"), "l.csv", departments=["X1"])
    services.tenancy_import_apply(actor=SYSTEM, organisation=other_org, rows=rows, full_list=True)
    assert Tenancy.objects.filter(number="1-0001").count() == 2


def test_a_huge_file_is_stopped_by_the_reader_s_limits(db: None) -> None:
    from lokalsamfund.core.tabular import TableLimits

    lines = [f"A1;Vej {n};{n};;" for n in range(50)]
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        parse_tenancies(
            csv_file(HEADER, *lines), "l.csv", departments=CODES, limits=TableLimits(max_rows=10)
        )
    assert "10" in caught.value.messages[0]
    assert Tenancy.objects.count() == 0


def test_many_bad_rows_give_a_short_list_and_a_count() -> None:
    lines = [f"Z9;Vej {n};{n};;" for n in range(80)]
    messages = _rejected(csv_file(HEADER, *lines))
    assert len(messages) == 51
    assert "30 more errors" in messages[-1]
