"""``lokalsamfund jobs purge``: delete background jobs whose results are past their time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from lokalsamfund.core.jobs import jobs_purge


class Command(BaseCommand):
    help = "Background jobs: 'purge' deletes jobs and result files past their time."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "purge",
            help=(
                "Delete jobs whose results are older than LOKALSAMFUND_JOB_RESULT_DAYS, and "
                "the worker's finished task records of the same age."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = jobs_purge()
        if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                min_age_days=settings.LOKALSAMFUND_JOB_RESULT_DAYS,
                verbosity=0,
            )
        self.stdout.write(f"{deleted} jobs deleted.")
