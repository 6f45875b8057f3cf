"""Rights requests (art. 15-17) from the data protection contact's pages: find by the blind
index, export (JSON and PDF, with the read log), rectify, erase; only the data protection
contact of the same organisation gets anything, everyone else 404."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.wellbeing.models import (
    EventKind,
    Referral,
    ReferralErasure,
    ReferralEvent,
    WellbeingSettings,
)
from tests.wellbeing.factories_rights import (
    blind_index,
    make_referral,
    rights_keys,  # noqa: F401
    unseal,
)

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("rights_keys"),
    pytest.mark.scenario_moment,
]

RIGHTS = "/henvendelser/rettigheder/test-org/"


@pytest.fixture
def dpo(make_user: Callable[..., User], org: Organisation) -> User:
    user = make_user(Role.DATA_PROTECTION, org)
    User.objects.filter(pk=user.pk).update(full_name="Dorte Databeskyttelse")
    user.refresh_from_db()
    return user


@pytest.fixture
def social_worker(make_user: Callable[..., User], org: Organisation) -> User:
    user = make_user(Role.SOCIAL_WORKER, org)
    User.objects.filter(pk=user.pk).update(full_name="Sara Socialrådgiver")
    user.refresh_from_db()
    return user


@pytest.fixture
def other_dpo(
    make_user: Callable[..., User], other_org: Organisation, other_dept: Department
) -> User:
    return make_user(Role.DATA_PROTECTION, other_org)


@pytest.fixture
def anna(dept_a: Department, caretaker: User, social_worker: User) -> Referral:
    referral = make_referral(
        department=dept_a,
        referred_by=caretaker,
        assigned_to=social_worker,
        name="Anna Hansen",
        address="Vestergade 12, 2. th.",
        free_text="Posten hober sig op",
        observations=["post", "isolated"],
        notes=["Besøg aftalt"],
    )
    log_action(
        actor=social_worker, action="wellbeing.read", organisation=dept_a.organisation, obj=referral
    )
    log_action(
        actor=caretaker, action="wellbeing.read", organisation=dept_a.organisation, obj=referral
    )
    return referral


def _search(client: Client, **data: str) -> Any:
    return client.post(RIGHTS, data)


def test_find_by_name_or_address_through_the_blind_index(
    client_for: Callable[[User | None], Client],
    dpo: User,
    anna: Referral,
    dept_b: Department,
    other_dept: Department,
) -> None:
    neighbour = make_referral(department=dept_b, name="Bo Berg", address="vestergade 12 2 th")
    make_referral(department=other_dept, name="Anna Hansen")  # another organisation
    client = client_for(dpo)
    page = _search(client, name="  anna   HANSEN ").content.decode()
    assert "1 henvendelse fundet" in page
    assert anna.reference in page
    assert "Posten hober sig op" in page
    page = _search(client, address="Vestergade 12, 2. TH").content.decode()
    assert anna.reference in page
    assert neighbour.reference in page
    assert "Bo Berg" in page
    page = _search(client, name="Anne Hansen").content.decode()
    assert "0 henvendelser fundet" in page
    # The stored index is keyed: not the plain text nor a plain hash.
    assert anna.name_index == blind_index("Anna Hansen") != "anna hansen"
    # Logged: the search (how, how many: no name) and a read of each referral shown.
    searches = AuditEntry.objects.filter(action="wellbeing.rights_search").order_by("pk")
    assert [e.data for e in searches] == [
        {"by": ["name"], "found": 1},
        {"by": ["address"], "found": 2},
        {"by": ["name"], "found": 0},
    ]
    reads = AuditEntry.objects.filter(action="wellbeing.read", actor=dpo)
    assert reads.filter(object_id=str(anna.pk)).count() == 2
    assert "Anna" not in json.dumps([e.data for e in AuditEntry.objects.all()])


def test_an_empty_search_is_refused(client_for: Callable[[User | None], Client], dpo: User) -> None:
    response = _search(client_for(dpo), name=" ", address="")
    assert response.status_code == 400
    assert "Angiv et navn eller en adresse" in response.content.decode()


def test_export_json_with_the_read_log(
    client_for: Callable[[User | None], Client],
    dpo: User,
    anna: Referral,
    social_worker: User,
    caretaker: User,
) -> None:
    response = client_for(dpo).post(
        RIGHTS + "udlevering/", {"reference": [anna.reference], "format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "private, no-store"
    export = json.loads(response.content)
    (record,) = export["referrals"]
    assert record["name"] == "Anna Hansen"
    assert record["address"] == "Vestergade 12, 2. th."
    assert record["free_text"] == "Posten hober sig op"
    assert record["observations"] == ["posten hober sig op", "virker isoleret eller trist"]
    assert record["referred_by"] == caretaker.full_name
    assert record["social_worker"] == "Sara Socialrådgiver"
    assert [s["text"] for s in record["steps"]] == ["Besøg aftalt"]
    assert [(r["by"], r["role"]) for r in record["read_log"]] == [
        ("Sara Socialrådgiver", "boligsocial medarbejder"),
        (caretaker.full_name, "ejendomsfunktionær"),
    ]
    assert record["read_log"][0]["at"].startswith("2026-06-10T10:00")
    entry = AuditEntry.objects.get(action="wellbeing.rights_export")
    assert entry.data == {"format": "json"}
    assert entry.object_id == str(anna.pk)


def test_the_organisation_may_withhold_the_referrer(
    client_for: Callable[[User | None], Client], dpo: User, anna: Referral, caretaker: User
) -> None:
    WellbeingSettings.objects.create(
        organisation=anna.organisation,
        withhold_referrer_in_exports=True,
        withhold_referrer_reason="Hensyn til medarbejderen",
    )
    response = client_for(dpo).post(
        RIGHTS + "udlevering/", {"reference": [anna.reference], "format": "json"}
    )
    body = response.content.decode()
    assert caretaker.full_name not in body
    assert caretaker.email not in body
    record = json.loads(body)["referrals"][0]
    assert record["referred_by"] == "udeladt: Hensyn til medarbejderen"
    assert [r["by"] for r in record["read_log"]] == ["Sara Socialrådgiver", "udeladt"]


def test_export_pdf(
    client_for: Callable[[User | None], Client], dpo: User, anna: Referral, tmp_path: Path
) -> None:
    response = client_for(dpo).post(
        RIGHTS + "udlevering/", {"reference": [anna.reference], "format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="indsigt-2026-06-10.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Anna Hansen", "Posten hober sig op", "Besøg aftalt", "Sara Socialrådgiver"):
        assert expected in text
    assert "Hvem har læst den" in text


def test_export_and_erasure_round_trip(
    client_for: Callable[[User | None], Client], dpo: User, anna: Referral, dept_a: Department
) -> None:
    kept = make_referral(department=dept_a, name="Karen Jensen")
    client = client_for(dpo)
    export = json.loads(
        client.post(RIGHTS + "udlevering/", {"reference": [anna.reference]}).content
    )
    assert export["referrals"][0]["reference"] == anna.reference
    # Without the confirmation nothing happens.
    client.post(RIGHTS + "sletning/", {"reference": [anna.reference]})
    assert Referral.objects.filter(pk=anna.pk).exists()
    response = client.post(RIGHTS + "sletning/", {"reference": [anna.reference], "confirm": "yes"})
    assert response.status_code == 302
    assert not Referral.objects.filter(pk=anna.pk).exists()
    assert not ReferralEvent.objects.filter(referral_id=anna.pk).exists()
    assert Referral.objects.filter(pk=kept.pk).exists()
    assert not AuditEntry.objects.filter(object_type="wellbeing.referral", object_id=str(anna.pk))
    erasure = ReferralErasure.objects.get()
    assert (erasure.reason, erasure.count, erasure.by) == ("rights_request", 1, dpo)
    entry = AuditEntry.objects.get(action="wellbeing.erase")
    assert entry.data == {"referrals": 1, "audit_entries": 3}
    page = _search(client, name="Anna Hansen").content.decode()
    assert "0 henvendelser fundet" in page
    assert "sletning efter anmodning (art. 17)" in page  # the record that it happened
    # The erased referral is gone for the export too.
    gone = client.post(RIGHTS + "udlevering/", {"reference": [anna.reference]})
    assert gone.status_code == 404


def test_rectify(client_for: Callable[[User | None], Client], dpo: User, anna: Referral) -> None:
    client = client_for(dpo)
    url = f"{RIGHTS}{anna.reference}/berigtigelse/"
    page = client.get(url).content.decode()
    assert 'value="Anna Hansen"' in page
    response = client.post(
        url,
        {
            "name": "Anna Hansen-Berg",
            "address": "Vestergade 12, 2. th.",
            "identity_reason": "",
            "free_text": "Posten hober sig op",
            "explanation": "Beboerens anmodning",
        },
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert unseal(anna.resident_name_encrypted) == "Anna Hansen-Berg"
    assert anna.name_index == blind_index("anna hansen berg")
    step = anna.events.get(kind=EventKind.RECTIFIED)
    assert unseal(step.text_encrypted) == "Beboerens anmodning"
    assert step.by == dpo
    entry = AuditEntry.objects.get(action="wellbeing.rectify")
    assert entry.data == {"fields": ["name"]}
    assert "0 henvendelser fundet" in _search(client, name="Anna Hansen").content.decode()
    assert anna.reference in _search(client, name="anna hansen-berg").content.decode()
    # Nothing changed: refused.
    again = client.post(
        url,
        {
            "name": "Anna Hansen-Berg",
            "address": "Vestergade 12, 2. th.",
            "free_text": "Posten hober sig op",
            "explanation": "igen",
        },
    )
    assert again.status_code == 400


@pytest.mark.parametrize(
    "who",
    [
        "admin",
        "coordinator",
        "caretaker",
        "board_member",
        "resident",
        "neighbour",
        "association",
        "outsider",
        "no_role",
        "social_worker",
        "other_dpo",
        "superuser",
    ],
)
def test_only_the_data_protection_contact_of_the_organisation(
    who: str,
    personas: dict[str, User],
    social_worker: User,
    other_dpo: User,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
    anna: Referral,
) -> None:
    """A platform operator (superuser) is no data protection contact: 404 like everyone."""
    extra = {"social_worker": social_worker, "other_dpo": other_dpo}
    if who == "superuser":
        extra["superuser"] = make_user(is_superuser=True, is_staff=True)
    user = {**personas, **extra}[who]
    client = client_for(user)
    ref = anna.reference
    assert client.get(RIGHTS).status_code == 404
    assert client.post(RIGHTS, {"name": "Anna Hansen"}).status_code == 404
    assert client.post(RIGHTS + "udlevering/", {"reference": [ref]}).status_code == 404
    assert client.get(f"{RIGHTS}{ref}/berigtigelse/").status_code == 404
    assert (
        client.post(RIGHTS + "sletning/", {"reference": [ref], "confirm": "yes"}).status_code == 404
    )
    index = client.get("/henvendelser/rettigheder/")
    if who == "other_dpo":  # to their own organisation's page
        assert index["Location"] == "/henvendelser/rettigheder/other-org/"
    else:
        assert index.status_code == 404
    assert Referral.objects.filter(pk=anna.pk).exists()


def test_another_organisations_contact_cannot_reach_a_referral_through_their_own(
    client_for: Callable[[User | None], Client], other_dpo: User, anna: Referral
) -> None:
    client = client_for(other_dpo)
    own = "/henvendelser/rettigheder/other-org/"
    assert client.get(own).status_code == 200
    assert client.post(own + "udlevering/", {"reference": [anna.reference]}).status_code == 404
    assert client.get(f"{own}{anna.reference}/berigtigelse/").status_code == 404
    response = client.post(own + "sletning/", {"reference": [anna.reference], "confirm": "yes"})
    assert response.status_code == 404
    assert Referral.objects.filter(pk=anna.pk).exists()
    unknown = client.post(own + "udlevering/", {"reference": ["no-such-reference"]})
    assert unknown.status_code == 404


def test_anonymous_is_sent_to_log_in(client_for: Callable[[User | None], Client]) -> None:
    response = client_for(None).get(RIGHTS)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_index_leads_to_the_organisation(
    client_for: Callable[[User | None], Client], dpo: User
) -> None:
    response = client_for(dpo).get("/henvendelser/rettigheder/")
    assert response.status_code == 302
    assert response["Location"] == RIGHTS
    assert timezone.now()  # the pinned clock


def test_the_menu_shows_the_page_to_the_data_protection_contact_only(
    client_for: Callable[[User | None], Client], dpo: User, coordinator: User
) -> None:
    assert "/henvendelser/rettigheder/" in client_for(dpo).get("/").content.decode()
    assert "/henvendelser/rettigheder/" not in client_for(coordinator).get("/").content.decode()


def test_a_platform_operator_cannot_use_the_rights_services(
    make_user: Callable[..., User], org: Organisation, anna: Referral
) -> None:
    from lokalsamfund.core.errors import Forbidden
    from lokalsamfund.wellbeing.services import rights

    operator = make_user(is_superuser=True, is_staff=True)
    with pytest.raises(Forbidden):
        rights.rights_find(actor=operator, organisation=org, name="Anna Hansen")
    with pytest.raises(Forbidden):
        rights.rights_export(
            actor=operator, organisation=org, references=[anna.reference], kind="json"
        )
    assert "/henvendelser/rettigheder/" not in _menu(operator)


def _menu(user: User) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()
