"""``lokalsamfund green tidy``: hand every unclaimed task whose fallback time has come to the
group's contact and tell them by e-mail (``workdays.tasks_fall_back``). Idempotent: a task
falls back once; run it hourly or daily from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..workdays import tasks_fall_back

HELP = "Unclaimed tasks of work days fall back to the group's contact, who is told by e-mail."


def add_arguments(parser: CommandParser) -> None:
    pass


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    count = tasks_fall_back()
    command.stdout.write(f"Tasks fallen back to the group's contact: {count}.")
