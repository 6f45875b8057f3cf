"""``lokalsamfund serve``: migrate, collect static files and serve with gunicorn, with one
background worker beside it (``--no-worker`` when workers run as their own processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from lokalsamfund.core.logging import GUNICORN_ACCESS_FORMAT

# The worker is started again if it stops on its own; at most this often (seconds).
WORKER_RESTART_PAUSE = 5.0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if serve dies without stopping it (e.g. SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def worker_argv() -> list[str]:
    """The embedded worker: the database backend's ``db_worker`` under our command."""
    return [sys.executable, "-m", "lokalsamfund", "db_worker", "--interval", "1", "--no-reload"]


class Command(BaseCommand):
    help = "Migrate, collect static files and serve the app with gunicorn and one worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--demo-if-empty",
            action="store_true",
            help="Load the demo data when the database has no organisation yet.",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=(
                "Do not start a background worker beside gunicorn (run 'lokalsamfund db_worker' "
                "as its own process instead)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo_if_empty"]:
            from lokalsamfund.core.demo import database_is_empty

            if database_is_empty():
                call_command("demo")
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"lokalsamfund on http://{bind}/")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "lokalsamfund.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # No client address and no secret paths in the logs (core/logging.py).
            "--access-logformat",
            GUNICORN_ACCESS_FORMAT,
            "--logger-class",
            "lokalsamfund.core.logging.GunicornLogger",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        if options["no_worker"]:
            os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
        sys.exit(self._supervise(argv))

    def _supervise(self, gunicorn_argv: list[str]) -> int:
        """Run gunicorn and one worker; stop both when either serve is stopped or gunicorn
        ends; start the worker again if it ends on its own."""
        web = subprocess.Popen(gunicorn_argv)  # noqa: S603 - our own argv
        worker = subprocess.Popen(worker_argv(), preexec_fn=_die_with_parent)  # noqa: S603
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        try:
            while not stopping and web.poll() is None:
                if worker.poll() is not None:
                    self.stderr.write(f"The background worker ended ({worker.returncode}).")
                    time.sleep(WORKER_RESTART_PAUSE)
                    worker = subprocess.Popen(worker_argv(), preexec_fn=_die_with_parent)  # noqa: S603
                time.sleep(0.5)
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        return web.returncode if web.returncode and web.returncode > 0 else 0
