"""The audit log speaks Danish: every action that the code logs has a label, registered by
its domain (``register_action_labels`` in its ``apps.py``), and the back office shows the
labels, not the codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from lokalsamfund.core.audit import action_label, log_action
from lokalsamfund.core.models import Organisation, User

SRC = Path(__file__).resolve().parents[2] / "src" / "lokalsamfund"


def _logged_actions() -> set[str]:
    """Every action code the source can log: literals passed to log_action, module
    constants named ACTION, and the strings assigned to ``action`` before a call."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        if "log_action" not in text and "ACTION =" not in text:
            continue
        found |= set(re.findall(r'\baction\s*=\s*"([a-z_]+\.[a-z_]+)"', text))
        # ... and both sides of a conditional: action="x.on" if ... else "x.off"
        found |= set(
            re.findall(r'\baction\s*=\s*"[a-z_.]+"\s+if\b.*?\belse\s+"([a-z_]+\.[a-z_]+)"', text)
        )
        found |= set(re.findall(r'^ACTION\s*=\s*"([a-z_]+\.[a-z_]+)"', text, re.MULTILINE))
    return found


def test_every_logged_action_has_a_danish_label() -> None:
    actions = _logged_actions()
    assert {"bookings.cancel", "survey.round_closed", "core.invitation_create"} <= actions
    with translation.override("da"):
        missing = {a for a in actions if action_label(a) == a}
    assert not missing, f"No label registered for: {sorted(missing)}"
    with translation.override("da"):
        assert action_label("bookings.cancel") == "booking afbestilt"


@pytest.mark.django_db
def test_the_back_office_shows_labels(
    client_for: Callable[[User | None], Client], admin_user: User, org: Organisation
) -> None:
    log_action(actor=admin_user, action="bookings.cancel", organisation=org)
    page = client_for(admin_user).get("/backoffice/core/auditentry/").content.decode()
    assert "booking afbestilt" in page
    assert ">bookings.cancel<" not in page
