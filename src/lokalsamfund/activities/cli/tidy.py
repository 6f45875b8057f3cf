"""``lokalsamfund activities tidy``: reduce the sign-up lists of every occurrence that has been
held to counts and delete the names (``services.participation.names_reduce``), and delete
sign-ups without an account whose e-mail link was not opened within 48 hours
(``services.signups.unconfirmed_expire``). Idempotent; run it daily, e.g. in the same cron
job as ``lokalsamfund activities remind``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..services.participation import names_reduce
from ..services.signups import unconfirmed_expire

HELP = (
    "Delete the names on sign-up lists of activities that have been held (counts stay) and "
    "unconfirmed sign-ups older than 48 hours."
)


def add_arguments(parser: CommandParser) -> None:
    pass


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    reduced = names_reduce()
    command.stdout.write(f"Sign-up lists reduced to counts: {reduced}.")
    expired = unconfirmed_expire()
    command.stdout.write(f"Unconfirmed sign-ups deleted after 48 hours: {expired}.")
