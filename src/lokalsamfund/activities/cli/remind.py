"""``lokalsamfund activities remind``: the day-before reminder e-mails (cron-able)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lokalsamfund.activities.services.reminders import reminders_send

HELP = (
    "E-mail confirmed participants of the occurrences starting before the end of tomorrow "
    "(once per occurrence; safe to run every hour)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hours",
        type=int,
        default=None,
        help="Remind occurrences starting within this many hours instead of until the end "
        "of tomorrow.",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="Only list what would be sent; change nothing."
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    hours = options.get("hours")
    if hours is not None and hours < 1:
        raise CommandError("--hours must be at least 1.")
    dry_run = bool(options.get("dry_run"))
    done = reminders_send(now=timezone.now(), hours=hours, dry_run=dry_run)
    for item in done:
        start = timezone.localtime(item.occurrence.starts_at)
        command.stdout.write(
            f"{'would remind' if dry_run else 'reminded'} {item.recipients} "
            f"for occurrence {item.occurrence.pk} ({item.occurrence.activity.title}, "
            f"{start:%Y-%m-%d %H:%M})"
        )
    total = sum(item.recipients for item in done)
    note = " (dry run: nothing sent)" if dry_run else ""
    command.stdout.write(f"{len(done)} occurrence(s), {total} e-mail(s){note}")
