from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.core.models import Department, User

pytestmark = pytest.mark.django_db


def test_start_page_shows_own_organisation_and_departments(
    client_for: Callable[[User | None], Client],
    board_member: User,
    coordinator: User,
    dept_a: Department,
    dept_b: Department,
    other_dept: Department,
) -> None:
    page = client_for(board_member).get("/").content.decode()
    assert "Boligselskabet Test" in page
    assert dept_a.name in page
    assert dept_b.name not in page  # limited to A1
    assert other_dept.name not in page
    page = client_for(coordinator).get("/").content.decode()
    assert dept_a.name in page
    assert dept_b.name in page
    assert other_dept.name not in page


def test_anonymous_start_page_offers_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/login/"' in response.content


def test_pages_are_danish_by_default_and_english_on_request(client: Client) -> None:
    assert 'lang="da"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_every_page_has_csp_self_and_footer_link(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp
    assert "Tilgængelighedserklæring" in response.content.decode()
    assert client.get("/tilgaengelighed/").status_code == 200


def test_login_with_email_and_logout(client: Client, resident: User) -> None:
    response = client.post(
        "/login/", {"username": resident.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == resident
    client.post("/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_login_is_rate_limited(client: Client, resident: User, settings: object) -> None:
    for _ in range(5):
        response = client.post("/login/", {"username": resident.email, "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused now.
    response = client.post(
        "/login/", {"username": resident.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    assert "For mange" in response.content.decode() or "Too many" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_password_reset_sends_a_link_that_works(client: Client, resident: User) -> None:
    client.post("/password/reset/", {"email": resident.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "en helt ny adgangskode 7", "new_password2": "en helt ny adgangskode 7"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("en helt ny adgangskode 7")


def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert b"<main" in response.content


def test_htmx_is_served_by_the_app(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "https://" not in page
    assert "http://" not in page.replace("http://www.w3.org", "")


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("admin", True),
        ("coordinator", False),
        ("caretaker", False),
        ("resident", False),
        ("outsider", False),
        ("no_role", False),
    ],
)
def test_back_office_link_follows_the_permission_not_the_staff_flag(
    client_for: Callable[[User | None], Client],
    personas: dict[str, User],
    persona: str,
    shown: bool,
) -> None:
    """A staff account that lost its administrator role keeps Django's staff flag; the link
    is for those whom the back office lets in and shows something (``MANAGE_ORGANISATION``)."""
    user = personas[persona]
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    page = client_for(user).get("/").content.decode()
    assert ('href="/backoffice/"' in page) is shown


@pytest.mark.parametrize("persona", ["anonymous", "resident"])
def test_the_favicon_is_answered_and_linked(
    client_for: Callable[[User | None], Client], personas: dict[str, User], persona: str
) -> None:
    client = client_for(None if persona == "anonymous" else personas[persona])
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in icon["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405
    for page in ("/login/", "/"):
        assert (
            '<link rel="icon" href="/favicon.ico"' in client.get(page, follow=True).content.decode()
        )
