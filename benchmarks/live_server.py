"""A live server for the benchmarks that measure over HTTP (``signup_race.py``,
``booking_load.py``): gunicorn with sync workers, as ``lokalsamfund serve`` runs them, on a
free port of 127.0.0.1, against its own PostgreSQL database (dropped and created) and a
temporary data folder."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"


def env_for(
    data_dir: str,
    *,
    database: str,
    settings: str = "lokalsamfund.settings",
    path: tuple[Path, ...] = (),
    **extra: str,
) -> dict[str, str]:
    """The environment of the server and of the scripts run beside it: the database
    ``database`` on the local PostgreSQL, ``settings`` as the settings module, the project's
    code (after the folders in ``path``) first on the path; ``extra`` adds variables."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{database}",
            "LOKALSAMFUND_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONPATH": os.pathsep.join([*(str(p) for p in path), str(ROOT / "src")]),
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
            "LOG_LEVEL": "ERROR",
            **extra,
        }
    )
    return env


def recreate_database(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    env: dict[str, str], port: int, server: list[str], *, wait_seconds: float = 60
) -> subprocess.Popen[bytes]:
    """gunicorn serving ``lokalsamfund.wsgi`` with the options ``server`` (workers, worker
    class, backlog), once ``/healthz`` answers 200. Its standard output (the console e-mail
    backend's messages) is dropped; its log goes to ``server.log`` in the data folder and is
    shown when the server does not start."""
    log_path = Path(env["LOKALSAMFUND_DATA_DIR"], "server.log")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lokalsamfund.wsgi:application",
            *server,
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("wb"),
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start:\n" + log_path.read_text(errors="replace")[-3000:])


if __name__ == "__main__":  # `make bench` runs every script of this folder
    print("live_server: the server of signup_race.py and booking_load.py; nothing to measure")
