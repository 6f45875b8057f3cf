"""The marker test: a unique marker in every personal field of a referral (name, address,
reason for naming, free text, a social worker's note, a rectification's explanation) is found
in neither the SQLite database file (with its write-ahead log), the logs, the commands'
output, the e-mails nor a ``lokalsamfund backup`` file. A control value written in plain text
elsewhere IS found in the same places, so the search itself works."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.wellbeing.services import rights
from tests.wellbeing.factories_rights import make_referral, rights_keys  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rights_keys"),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the database file and backup are SQLite's"
    ),
]


def _database_bytes() -> bytes:
    name = Path(str(connection.settings_dict["NAME"]))
    data = b""
    for path in (name, Path(f"{name}-wal"), Path(f"{name}-journal")):
        if path.exists():
            data += path.read_bytes()
    return data


def test_no_personal_data_in_plain_text_anywhere(
    org: Organisation,
    dept_a: Department,
    caretaker: User,
    make_user: Callable[..., User],
    client_for: Callable[[User | None], Client],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    marker = f"MRK{uuid.uuid4().hex[:12]}"
    control = f"CTL{uuid.uuid4().hex[:12]}"
    Organisation.objects.filter(pk=org.pk).update(name=f"Boligselskab {control}")
    worker = make_user(Role.SOCIAL_WORKER, org)
    dpo = make_user(Role.DATA_PROTECTION, org)
    now = timezone.now()
    referral = make_referral(
        department=dept_a,
        referred_by=caretaker,
        assigned_to=worker,
        name=f"Navn {marker}",
        address=f"Vej {marker} 1",
        identity_reason=f"Grund {marker}",
        free_text=f"Tekst {marker}",
        notes=[f"Note {marker}"],
        last_activity_at=now - timedelta(days=30),  # stale: an e-mail to the social worker
    )
    rights.rights_rectify(
        actor=dpo,
        reference=referral.reference,
        changes=rights.Rectification(free_text=f"Rettet {marker}"),
        explanation=f"Forklaring {marker}",
    )
    # The pages: a search by the marked name, an export, a rectification page.
    client = client_for(dpo)
    base = "/henvendelser/rettigheder/test-org/"
    assert referral.reference in client.post(base, {"name": f"Navn {marker}"}).content.decode()
    export = client.post(base + "udlevering/", {"reference": [referral.reference]})
    assert marker in export.content.decode()  # the resident's own export has it, of course
    assert client.get(f"{base}{referral.reference}/berigtigelse/").status_code == 200
    # The commands: retention (flags the stale referral by e-mail) and key rotation.
    out = StringIO()
    call_command("retention", "run", stdout=out)
    settings.LOKALSAMFUND_FIELD_KEYS = [
        Fernet.generate_key().decode(),
        *settings.LOKALSAMFUND_FIELD_KEYS,
    ]
    call_command("keys", "rotate", stdout=out)
    assert rights.referral_record(referral)["name"] == f"Navn {marker}"
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", str(backup), stdout=out)

    database = _database_bytes()
    assert control.encode() in database
    assert marker.encode() not in database
    assert marker.lower().encode() not in database  # not even normalised
    backup_bytes = backup.read_bytes()
    assert control.encode() in backup_bytes
    assert marker.encode() not in backup_bytes
    assert len(mail.outbox) == 1
    for message in mail.outbox:
        assert marker not in message.subject + message.body + str(message.to)
        assert referral.reference not in message.subject + message.body
    captured = capsys.readouterr()
    for text in (caplog.text, out.getvalue(), captured.out, captured.err):
        assert marker not in text
