"""The marker test: a unique marker in every personal field of a referral (name, address,
reason for naming, free text, a social worker's note, a rectification's explanation) is found
in neither the database's files, the logs, the commands' output, the e-mails nor a backup. A
control value written in plain text elsewhere IS found in the same places, so the search itself
works.

- SQLite: the database file with its write-ahead log and journal; the backup is
  ``lokalsamfund backup``.
- PostgreSQL: after a ``CHECKPOINT`` (every changed page on disk), every file of the test
  database's directory (``base/<database oid>/``, which holds the referral tables'
  ``pg_relation_filepath``) and every write-ahead-log segment (``pg_wal/``), read in the server's
  ``data_directory``; the backup is the documented ``pg_dump --format=custom`` (docs/
  deployment.md; ``lokalsamfund backup`` refuses PostgreSQL and says so), read back in full
  with ``pg_restore``. Skipped, with the reason, only when the server's files cannot be read
  (the tests do not run on the database server, or not as a user who may read its files)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.wellbeing.models import Referral, ReferralEvent
from lokalsamfund.wellbeing.services import rights
from tests.wellbeing.factories_rights import make_referral, rights_keys  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("rights_keys"),
    pytest.mark.skipif(
        connection.vendor not in {"sqlite", "postgresql"},
        reason="the database's files are read for SQLite and PostgreSQL only",
    ),
]


def _sqlite_files() -> bytes:
    name = Path(str(connection.settings_dict["NAME"]))
    data = b""
    for path in (name, Path(f"{name}-wal"), Path(f"{name}-journal")):
        if path.exists():
            data += path.read_bytes()
    return data


def _sqlite_backup(tmp_path: Path, out: StringIO) -> bytes:
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", str(backup), stdout=out)
    return backup.read_bytes()


def _read_all(folder: Path) -> bytes:
    data = bytearray()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            data += path.read_bytes()
    return bytes(data)


def _postgresql_files() -> tuple[bytes, bytes]:
    """(the test database's files, the write-ahead log) after a checkpoint."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute("SHOW data_directory")
        data_directory = Path(cursor.fetchone()[0])
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        database = data_directory / "base" / str(cursor.fetchone()[0])
        relations = []
        for model in (Referral, ReferralEvent):
            cursor.execute("SELECT pg_relation_filepath(%s)", [model._meta.db_table])
            relations.append(data_directory / cursor.fetchone()[0])
    try:
        files = _read_all(database)
        wal = _read_all(data_directory / "pg_wal")
    except (PermissionError, FileNotFoundError) as exc:
        pytest.skip(
            f"PostgreSQL's files under {data_directory} cannot be read here ({exc}): run the "
            "test on the database server as a user who may read them (e.g. root)"
        )
    # The referral tables' own files are among those searched.
    assert all(r.parent == database and r.exists() for r in relations), relations
    return files, wal


def _postgresql_backup(tmp_path: Path, out: StringIO) -> bytes:
    """The documented backup (pg_dump, custom format) read back in full as SQL."""
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "backup.sqlite3"), stdout=out)
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump and pg_restore are not installed here")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    dump = tmp_path / "lokalsamfund.dump"
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    subprocess.run(
        ["pg_dump", *args, "--format=custom", f"--file={dump}", str(db["NAME"])],
        check=True,
        env=env,
        capture_output=True,
    )
    restored = subprocess.run(
        ["pg_restore", "--file=-", str(dump)], check=True, capture_output=True
    )
    return dump.read_bytes() + restored.stdout


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

    if connection.vendor == "sqlite":
        stored = {"database file": _sqlite_files()}
        backup_bytes = _sqlite_backup(tmp_path, out)
    else:
        files, wal = _postgresql_files()
        stored = {"database files": files, "write-ahead log": wal}
        backup_bytes = _postgresql_backup(tmp_path, out)
    stored["backup"] = backup_bytes
    for where, data in stored.items():
        assert control.encode() in data, where  # the search finds plain text here
        leaked = [m for m in (marker, marker.lower()) if m.encode() in data]  # not normalised
        assert not leaked, f"the marker is in plain text in the {where}"
    assert len(mail.outbox) == 1
    for message in mail.outbox:
        assert marker not in message.subject + message.body + str(message.to)
        assert referral.reference not in message.subject + message.body
    captured = capsys.readouterr()
    for text in (caplog.text, out.getvalue(), captured.out, captured.err):
        assert marker not in text
