"""The staff pages, tried by those who may (org admin, coordinator) and those who may not
(another organisation's staff, a caretaker, a board member, a resident, anonymous)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.models import Organisation, User
from lokalsamfund.residents.models import ActivationCode, Tenancy

from .conftest import HEADER, csv_file

PAGES = [
    "/beboere/test-org/",
    "/beboere/test-org/import/",
    "/beboere/test-org/import/bekraeft/",
]
POSTS = ["/beboere/test-org/breve/", "/beboere/test-org/import/"]


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_staff_who_may_see_the_list_and_the_import(
    who: str,
    personas: dict[str, User],
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(personas[who])
    page = client.get("/beboere/test-org/")
    assert page.status_code == 200
    assert tenancies[0].address in page.content.decode()
    assert "ida@eksempel.dk" not in page.content.decode()  # only whether there is one
    assert client.get("/beboere/").status_code == 302
    assert client.get("/beboere/test-org/import/").status_code == 200


@pytest.mark.parametrize(
    "who", ["outsider", "caretaker", "board_member", "resident", "neighbour", "no_role"]
)
def test_others_get_nothing(
    who: str,
    personas: dict[str, User],
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(personas[who])
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    for url in POSTS:
        response = client.post(url, {"tenancy": [t.pk for t in tenancies]})
        assert response.status_code == 403, url
    moved = client.post(
        f"/beboere/test-org/lejemaal/{tenancies[0].pk}/fraflytning/", {"moved_out": "2020-01-01"}
    )
    assert moved.status_code == 403
    index = client.get("/beboere/")
    if who == "outsider":  # to their own organisation's list
        assert index["Location"] == "/beboere/other-org/"
    else:
        assert index.status_code == 403
    assert not ActivationCode.objects.exists()
    assert Tenancy.objects.filter(moved_out__isnull=False).count() == 0


def test_anonymous_visitors_are_sent_to_log_in(
    tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(None)
    for url in [*PAGES, "/beboere/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


def test_another_organisation_s_tenancy_cannot_be_reached_through_ours(
    admin_user: User,
    tenancies: list[Tenancy],
    other_org: Organisation,
    other_dept: object,
    client_for: Callable[[User | None], Client],
) -> None:
    theirs = Tenancy.objects.create(
        organisation=other_org, department=other_dept, number="9", address="Andensteds 1"
    )
    client = client_for(admin_user)
    moved = client.post(
        f"/beboere/test-org/lejemaal/{theirs.pk}/fraflytning/", {"moved_out": "2020-01-01"}
    )
    assert moved.status_code == 404
    letters = client.post("/beboere/test-org/breve/", {"tenancy": [theirs.pk]})
    assert letters.status_code == 302  # nothing chosen in our organisation
    assert not ActivationCode.objects.filter(tenancy=theirs).exists()
    assert client.get("/beboere/other-org/").status_code == 403


def test_import_shows_the_counts_and_writes_only_on_confirm(
    coordinator: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv_file(HEADER, "A1;Ærtebjergvej 3, st. th.;1-0001;;", "A1;Nyvej 1;1-0009;;")
    upload = SimpleUploadedFile("liste.csv", data, content_type="text/csv")
    step = client.post("/beboere/test-org/import/", {"file": upload, "full_list": "on"})
    assert step.status_code == 302
    confirm = client.get(step["Location"])
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert Tenancy.objects.filter(number="1-0009").count() == 0  # nothing written yet
    for count in ("1", "1", "1"):  # added 1-0009, changed 1-0001 (contact), moving out 1-0002
        assert f"<dd>{count}</dd>" in page
    done = client.post(step["Location"], {"action": "confirm"})
    assert done.status_code == 302
    assert Tenancy.objects.filter(number="1-0009").exists()
    assert Tenancy.objects.get(number="1-0002").moved_out is not None
    assert Tenancy.objects.get(number="2-0001").moved_out is None  # B1 not in the file


def test_a_bad_file_shows_every_problem_and_stores_nothing(
    coordinator: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv_file(HEADER, "Z9;Vej 1;7;;", "A1;Vej 2;7;;")
    response = client_for(coordinator).post(
        "/beboere/test-org/import/",
        {"file": SimpleUploadedFile("liste.csv", data), "full_list": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Z9" in page
    assert "Traceback" not in page
    assert Tenancy.objects.count() == 3


def test_letters_are_a_pdf_with_one_code_per_tenancy(
    admin_user: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(admin_user).post(
        "/beboere/test-org/breve/", {"tenancy": [tenancies[1].pk, tenancies[2].pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert ActivationCode.objects.filter(used_at__isnull=True, voided_at__isnull=True).count() == 2


def test_the_list_filters(
    admin_user: User,
    tenancies: list[Tenancy],
    dept_b: object,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(admin_user)
    only_b = client.get("/beboere/test-org/", {"department": dept_b.pk}).content.decode()  # type: ignore[attr-defined]
    assert "Bøgevej 9" in only_b
    assert "Ærtebjergvej" not in only_b
    no_email = client.get("/beboere/test-org/", {"status": "no_email"}).content.decode()
    assert "st. th." not in no_email
    assert "1. tv." in no_email
    bad = client.get("/beboere/test-org/", {"status": "<script>", "department": "x"})
    assert bad.status_code == 200


def test_without_a_field_key_the_check_refuses_contact_details(
    settings: object,
    coordinator: User,
    dept_a: object,
    client_for: Callable[[User | None], Client],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LOKALSAMFUND_FIELD_KEYS = []  # type: ignore[attr-defined]
    client = client_for(coordinator)
    data = csv_file(HEADER, "A1;Vej 1;1;ida@eksempel.dk;")
    response = client.post(
        "/beboere/test-org/import/", {"file": SimpleUploadedFile("l.csv", data), "full_list": "on"}
    )
    assert response.status_code == 400
    assert "LOKALSAMFUND_FIELD_KEYS" in response.content.decode()
    assert "residents_import" not in client.session


def test_odd_ids_and_a_stale_session_change_nothing(
    coordinator: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    huge = "9" * 30
    assert (
        client.post("/beboere/test-org/breve/", {"tenancy": [huge, "-1", "x"]}).status_code == 302
    )
    assert client.post("/beboere/test-org/inviter/", {"tenancy": [huge]}).status_code == 302
    assert client.post(f"/beboere/test-org/lejemaal/{huge}/fraflytning/").status_code == 404
    session = client.session
    session["residents_import"] = "not what we wrote"
    session.save()
    response = client.get("/beboere/test-org/import/bekraeft/")
    assert response.status_code == 302
    assert not ActivationCode.objects.exists()
