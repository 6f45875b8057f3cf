"""Bringing a resident in, on a phone-sized screen (390 px), every page checked by axe-core:
the coordinator imports the tenancy list and prints an activation letter; a resident scans
the letter's QR code (the code travels in the URL fragment, which our own script puts in the
field), chooses name, e-mail and password, and is logged in as a resident of the home."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Page

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import Membership, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents.models import Tenancy

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
CSV = (
    "Afd.nr.;Adresse;Lejemål;Mail;Mobil\r\n"
    "A1;Engparken 14, st. tv.;1-0114;;\r\n"
    "A1;Engparken 16, 2. th.;1-0116;karen@eksempel.dk;+45 20 30 40 50\r\n"
).encode()


@pytest.fixture(autouse=True)
def field_keys(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [Fernet.generate_key().decode()]


def _phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "about:"))
            else None
        ),
    )
    yield page
    context.close()
    assert not external, f"Pages requested other hosts: {external}"


@pytest.fixture
def staff_phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    yield from _phone(browser, live_server)


@pytest.fixture
def resident_phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    yield from _phone(browser, live_server)


def test_import_letter_and_activation_on_a_phone(
    staff_phone: Page,
    resident_phone: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
    tmp_path: Path,
) -> None:
    load_demo()
    page = staff_phone
    login(page, "koordinator@eksempel.dk")
    page.goto("/beboere/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Importér lejemålslisten").click()
    assert_accessible(page)
    upload = tmp_path / "lejemaal.csv"
    upload.write_bytes(CSV)
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Tjek filen").click()
    page.wait_for_url(re.compile(r"/import/bekraeft/$"))
    assert_accessible(page)
    assert Tenancy.objects.count() == 0  # nothing before the confirmation
    page.get_by_role("button", name="Importér").click()
    page.wait_for_url(re.compile(r"/beboere/[\w-]+/$"))
    assert_accessible(page)
    tenancy = Tenancy.objects.get(number="1-0114")
    page.get_by_label("Vælg lejemål 1-0114").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Udskriv aktiveringsbreve").click()
    pdf = tmp_path / "breve.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Engparken 14, st. tv." in text
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b", text)
    assert code is not None, text
    # The resident scans the QR code: the code is in the fragment, not sent to the server.
    resident = resident_phone
    sent: list[str] = []
    resident.on("request", lambda r: sent.append(r.url))
    resident.goto(f"/aktiver/#kode={code.group(1)}")
    assert resident.locator("#id_code").input_value() == code.group(1)
    assert "#" not in resident.url
    assert_accessible(resident)
    resident.get_by_role("button", name="Næste").click()
    resident.wait_for_url(re.compile(r"/aktiver/konto/$"))
    assert "Engparken 14, st. tv." in resident.content()
    assert_accessible(resident)
    resident.get_by_label("Dit navn").fill("Sara Beboer")
    resident.get_by_label("E-mail").fill("sara@eksempel.dk")
    resident.get_by_label("Adgangskode").fill("en lang og god adgangskode")
    resident.get_by_role("button", name="Opret min konto").click()
    resident.wait_for_url(re.compile(r"/$"))
    assert "Velkommen" in resident.content()
    assert_accessible(resident)
    assert not any(code.group(1) in url for url in sent)
    user = User.objects.get(email="sara@eksempel.dk")
    membership = Membership.objects.get(user=user, role=Role.RESIDENT)
    assert membership.home == tenancy.home


def test_invitation_by_e_mail_on_a_phone(
    staff_phone: Page,
    resident_phone: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    from django.core import mail

    from lokalsamfund.core.models import Organisation
    from lokalsamfund.residents import services
    from lokalsamfund.residents.importing import parse_tenancies

    load_demo()
    organisation = Organisation.objects.get(slug="eksempel")
    rows = parse_tenancies(CSV, "lejemaal.csv", departments=["A1", "A2"])
    services.tenancy_import_apply(
        actor=SYSTEM, organisation=organisation, rows=rows, full_list=False
    )
    tenancy = Tenancy.objects.get(number="1-0116")
    page = staff_phone
    login(page, "koordinator@eksempel.dk")
    page.goto("/beboere/eksempel/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Vælg lejemål 1-0116").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Invitér på e-mail").click()
    assert "1 invitationer blev sendt" in page.content()
    assert_accessible(page)
    [message] = [m for m in mail.outbox if m.to == ["karen@eksempel.dk"]]
    link = re.search(r"/invitation/[^/\s]+/", message.body)
    assert link is not None
    invitee = resident_phone
    invitee.goto(link.group(0))
    assert_accessible(invitee)
    invitee.fill("#id_full_name", "Karen Beboer")
    invitee.fill("#id_password1", "a long and unusual passphrase 42")
    invitee.fill("#id_password2", "a long and unusual passphrase 42")
    with invitee.expect_navigation():
        invitee.click("main button[type=submit]")
    assert_accessible(invitee)
    user = User.objects.get(email="karen@eksempel.dk")
    membership = Membership.objects.get(user=user, role=Role.RESIDENT)
    assert membership.home == tenancy.home
    assert [d.code for d in membership.departments.all()] == ["A1"]
