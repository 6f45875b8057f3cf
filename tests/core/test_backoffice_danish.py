"""The organisation administrator never meets English in the back office: every page they can
reach, in Danish, shows none of the known English labels, and the labels it shows are the
catalogue's Danish."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.invitations import invitation_create
from lokalsamfund.core.models import Department, Organisation, Role, User

pytestmark = pytest.mark.django_db

# English words of our models, fields, filters and actions that must not show.
ENGLISH = [
    "department",
    "departments",
    "membership",
    "memberships",
    "association",
    "associations",
    "neighbouring housing",
    "audit log",
    "audit entry",
    "users",
    "user",
    "role",
    "home",
    "homes",
    "number of",
    "short name",
    "invitations",
    "invited by",
    "expires",
    "accepted",
    "revoked",
    "created",
    "details",
    "object",
    "action",
    "actor",
    "e-mail verified",
    "back-office access",
    "active",
    "Leave empty",
    "Required for",
    "Organisations and users",
    "Revoke",
    "Invite",
    "Save",
    "Delete",
    "Add",
    "Change",
    "Search",
    "Filter",
    "Home",
    "bookings.",
    "survey.",
    "core.invitation",
    "community coordinator",
    "caretaker",
]
CORE_PO = (
    Path(__file__).resolve().parents[2] / "src/lokalsamfund/core/locale/da/LC_MESSAGES/django.po"
)


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", page)
    page = re.sub(r'(?is)<option value="en"[^>]*>.*?</option>', " ", page)
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(text).split())


def _english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", text)]


def test_every_back_office_page_of_the_admin_is_danish(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    caretaker: User,
    org: Organisation,
    dept_a: Department,
) -> None:
    invitation_create(
        actor=admin_user, organisation=org, email="ny@example.org", role=Role.CARETAKER
    )
    log_action(actor=admin_user, action="bookings.cancel", organisation=org, obj=dept_a)
    client = client_for(admin_user)
    index = client.get("/backoffice/").content.decode()
    queue = ["/backoffice/", *sorted(set(re.findall(r'href="(/backoffice/[^"]+)"', index)))]
    queue += [f"/backoffice/core/user/{caretaker.pk}/change/"]
    queue += [f"/backoffice/core/user/{caretaker.pk}/password/"]
    seen: set[str] = set()
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < 80:
        path = html.unescape(queue.pop(0))
        if path in seen or "logout" in path or "delete" in path:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        page = response.content.decode()
        found = _english_in(_visible_text(page))
        if found:
            problems[path] = found
        # One level further: each list's add page and first object.
        if path.count("/") == 4 and path.endswith("/"):
            links = re.findall(rf'href="({re.escape(path)}(?:add/|\d+/change/))"', page)
            queue.extend(links[:2])
    assert "/backoffice/core/membership/" in seen
    assert "/backoffice/core/invitation/add/" in seen
    assert f"/backoffice/core/user/{caretaker.pk}/password/" in seen
    assert not problems, problems


def test_the_labels_come_from_the_danish_catalogue() -> None:
    po = CORE_PO.read_text()
    for msgid in ("invitations", "audit log", "departments", "invited by"):
        match = re.search(rf'msgid "{msgid}"\nmsgstr "([^"]+)"', po)
        assert match, msgid
        assert match.group(1) != msgid
