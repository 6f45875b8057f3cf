"""``lokalsamfund green remind-loans``: the tool shed's upkeep (cron-able, idempotent)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lokalsamfund.green.toolshed.services import reminders_run

HELP = (
    "Remind borrowers of overdue loans (once per loan) and give a returned tool not "
    "collected in time to the next in its queue. Safe to run every hour."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="Only count what would be done; change nothing."
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    dry_run = bool(options.get("dry_run"))
    counts = reminders_run(now=timezone.now(), dry_run=dry_run)
    note = " (dry run: nothing sent)" if dry_run else ""
    command.stdout.write(
        f"{counts['reminded']} overdue reminder(s), {counts['expired']} kept tool(s) passed "
        f"on{note}"
    )
