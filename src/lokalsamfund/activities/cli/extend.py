"""``lokalsamfund activities extend``: store the coming dates of open-ended series up to the
horizon and book the common house for dates that came within the booking horizon. Run it
daily (cron); running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lokalsamfund.activities.services.activities import occurrences_extend

HELP = "Store and book the coming dates of open-ended activities (daily; idempotent)."


def add_arguments(parser: CommandParser) -> None:
    parser.description = __doc__


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    result = occurrences_extend()
    command.stdout.write(f"dates stored: {result.created}; dates booked: {result.booked}")
    for line in result.refused:
        command.stderr.write(f"not booked: {line}")
