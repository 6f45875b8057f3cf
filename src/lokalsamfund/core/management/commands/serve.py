"""``lokalsamfund serve``: migrate, collect static files and serve with gunicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from lokalsamfund.core.logging import GUNICORN_ACCESS_FORMAT


class Command(BaseCommand):
    help = "Migrate, collect static files and serve the app with gunicorn."

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
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
