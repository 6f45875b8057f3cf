"""``lokalsamfund activities tidy``: reduce the sign-up lists of every occurrence that has been
held to counts and delete the names (``services.participation.names_reduce``). Idempotent; run
it daily, e.g. in the same cron job as ``lokalsamfund activities remind``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..services.participation import names_reduce

HELP = "Delete the names on sign-up lists of activities that have been held (counts stay)."


def add_arguments(parser: CommandParser) -> None:
    pass


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    reduced = names_reduce()
    command.stdout.write(f"Sign-up lists reduced to counts: {reduced}.")
