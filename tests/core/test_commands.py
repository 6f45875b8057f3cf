from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lokalsamfund.core.demo import DEMO_USERS, load_demo
from lokalsamfund.core.models import AuditEntry, Department, Membership, Organisation, User
from lokalsamfund.core.tokens import user_for_token

REPO = Path(__file__).resolve().parents[2]


def _command_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "LOKALSAMFUND_PLAIN_STATIC", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra)
    return env


@pytest.mark.django_db
def test_demo_is_idempotent_and_complete() -> None:
    load_demo()
    counts = (
        Organisation.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert counts == (
        Organisation.objects.count(),
        Department.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    demo_departments = Department.objects.filter(organisation__slug="eksempel")
    assert sorted(demo_departments.values_list("code", flat=True)) == ["A1", "A2", "B1"]
    for email, *_ in DEMO_USERS:
        assert email in out.getvalue()
        assert User.objects.get(email=email).check_password("demo")


@pytest.mark.django_db
def test_demo_if_empty_leaves_existing_data_alone(org: Organisation) -> None:
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert not Organisation.objects.filter(slug="eksempel").exists()
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_token_create_prints_a_working_token(coordinator: User) -> None:
    out = io.StringIO()
    call_command("token", "create", "--user", coordinator.email.upper(), stdout=out)
    token = out.getvalue().strip()
    assert user_for_token(token) == coordinator
    assert user_for_token(token + "x") is None


@pytest.mark.django_db
def test_token_create_for_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("token", "create", "--user", "nobody@example.org")


@pytest.mark.django_db(transaction=True)
def test_backup_is_consistent_while_writes_go_on(
    tmp_path: Path, make_organisation: Callable[..., Any]
) -> None:
    if connection.vendor != "sqlite":
        with pytest.raises(CommandError, match="pg_dump"):
            call_command("backup", str(tmp_path / "copy.sqlite3"))
        return
    import sqlite3

    make_organisation()
    stop = threading.Event()

    def writer() -> None:
        from django.db import connections

        while not stop.is_set():
            AuditEntry.objects.create(organisation=None, action="test.write")
        connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        target = tmp_path / "copy.sqlite3"
        call_command("backup", str(target), stdout=io.StringIO())
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM core_organisation").fetchone() == (1,)
    assert copy.execute("SELECT count(*) FROM core_auditentry").fetchone()[0] > 0
    copy.close()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(target))


@pytest.mark.clock_blind
def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    env = _command_env(
        LOKALSAMFUND_DATA_DIR=str(tmp_path),
        LOKALSAMFUND_HTTPS="1",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-0123456789",
        ALLOWED_HOSTS="lokalsamfund.example.dk",
        DATABASE_URL="postgres://lokalsamfund@db.example.dk:5432/lokalsamfund",
        EMAIL_HOST="smtp.example.dk",
    )
    result = subprocess.run(
        [sys.executable, "-m", "lokalsamfund", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.clock_blind
def test_deploy_check_fails_without_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lokalsamfund", "check", "--deploy", "--fail-level", "WARNING"],
        env=_command_env(LOKALSAMFUND_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert "lokalsamfund.W001" in result.stderr
    assert "lokalsamfund.W003" in result.stderr  # e-mails (and their tokens) into the log
    assert "security.W012" in result.stderr


def _secret_key_seen(env: dict[str, str]) -> str:
    """The SECRET_KEY a fresh process gets from its settings with ``env``."""
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.SECRET_KEY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.clock_blind
def test_secret_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    env = _command_env(
        LOKALSAMFUND_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="lokalsamfund.settings"
    )
    env.pop("SECRET_KEY", None)
    first = _secret_key_seen(env)
    assert _secret_key_seen(env) == first
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    env["SECRET_KEY_FILE"] = str(tmp_path / "given")
    (tmp_path / "given").write_text("from-a-file-secret\n")
    assert _secret_key_seen(env) == "from-a-file-secret"


@pytest.mark.slow
@pytest.mark.clock_blind
def test_serve_migrates_loads_demo_and_answers(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = _command_env(LOKALSAMFUND_DATA_DIR=str(tmp_path), WEB_CONCURRENCY="1")
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "lokalsamfund", "serve", "--port", str(port), "--demo-if-empty"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 420
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.5)
        assert b'"ok"' in body, (tmp_path / "serve.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
            page = r.read().decode()
        assert 'lang="da"' in page
        css = page.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert (tmp_path / "lokalsamfund.sqlite3").exists()


_START_LETTERS_JOB = """
from lokalsamfund.core.jobs import job_start
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import Perm
from lokalsamfund.surveys.demo import OPEN_SLUG
from lokalsamfund.surveys.models import SurveyRound
from lokalsamfund.surveys.tasks import LETTERS_JOB, letters_task

user = User.objects.get(email="koordinator@eksempel.dk")
survey_round = SurveyRound.objects.get(slug=OPEN_SLUG)
department = survey_round.departments.order_by("code").first()
job = job_start(
    actor=user, organisation=survey_round.organisation, kind=LETTERS_JOB,
    perm=Perm.MANAGE_SURVEYS, task=letters_task, total=3,
    args={"round_id": survey_round.pk, "department_id": department.pk, "count": 3,
          "base_url": "http://localhost/"},
)
print(job.pk)
"""

_JOB_STATUS = "from lokalsamfund.core.models import Job; print(Job.objects.get(pk='{pk}').status)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_health(port: int, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if b'"ok"' in r.read():
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(log.read_text())


@pytest.mark.slow
@pytest.mark.clock_blind
def test_serve_runs_a_worker_beside_gunicorn_and_stops_it(tmp_path: Path) -> None:
    """The embedded case: serve answers /healthz and its worker runs a queued job (letters on
    the database backend); when serve stops, so does the worker."""
    port = _free_port()
    env = _command_env(LOKALSAMFUND_DATA_DIR=str(tmp_path), WEB_CONCURRENCY="1")
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "lokalsamfund", "serve", "--port", str(port), "--demo-if-empty"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    try:
        _wait_for_health(port, log_path)
        shell = [sys.executable, "-m", "lokalsamfund", "shell", "-c"]
        started = subprocess.run(
            [*shell, _START_LETTERS_JOB], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert started.returncode == 0, started.stderr
        pk = started.stdout.strip().splitlines()[-1]
        status = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and status not in {"done", "failed"}:
            time.sleep(1)
            status = (
                subprocess.run(
                    [*shell, _JOB_STATUS.format(pk=pk)],
                    env=env,
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .rpartition("\n")[2]
            )  # after any notice of the shell
        assert status == "done", log_path.read_text()
        children = [
            int(pid)
            for pid in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        workers = [
            pid for pid in children if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(workers) == 1
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    assert server.returncode == 0
    assert not Path(f"/proc/{workers[0]}").exists()


def test_serve_without_worker_execs_gunicorn_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from lokalsamfund.core.management.commands import serve

    calls: list[list[str]] = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)

    def execv(path: str, argv: list[str]) -> None:
        calls.append(argv)
        raise SystemExit(0)  # execv never returns

    monkeypatch.setattr(serve.os, "execv", execv)
    monkeypatch.setattr(
        serve.subprocess, "Popen", lambda *a, **k: pytest.fail("no process may be started")
    )
    with pytest.raises(SystemExit):
        call_command("serve", "--no-worker", "--port", "8123")
    assert len(calls) == 1
    assert "gunicorn" in calls[0]
    assert "db_worker" not in calls[0]
