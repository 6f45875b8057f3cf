"""``lokalsamfund retention run [--dry-run] [--organisation SLUG]``: the referrals' retention.

Deletes closed referrals whose retention period has ended (per organisation, default 90 days
after closing), reduces their audit entries to counts, and flags open referrals nobody has
touched to the social workers. Cron-able and idempotent. Prints what it deleted (counts per
organisation), never whom. Acts as the system (audit log "system").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing.services.retention import retention_run


class Command(BaseCommand):
    help = "Retention of concern referrals: delete what is due, flag what is stale."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        run = sub.add_parser("run", help="Delete closed referrals past their retention period.")
        run.add_argument(
            "--dry-run", action="store_true", help="Count only: delete, log and send nothing."
        )
        run.add_argument("--organisation", help="Only this organisation (short name, slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        organisations = None
        if options["organisation"]:
            organisations = list(Organisation.objects.filter(slug=options["organisation"]))
            if not organisations:
                raise CommandError(f"No organisation '{options['organisation']}'.")
        dry_run = options["dry_run"]
        try:
            results = retention_run(
                actor=SYSTEM, now=timezone.now(), dry_run=dry_run, organisations=organisations
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "would delete" if dry_run else "deleted"
        for result in results:
            line = (
                f"{result.organisation}: {verb} {result.deleted.referrals} closed referrals "
                f"(retention {result.retention_days} days)"
            )
            if not dry_run:
                line += f", {result.deleted.audit_entries} audit entries reduced to counts"
            line += f"; {result.stale} open referrals untouched for {result.stale_after_days}+ days"
            if result.stale and not dry_run:
                line += f" (flagged to {result.notified} social workers)"
            self.stdout.write(line + ".")
        total = sum(r.deleted.referrals for r in results)
        self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} {total} referrals in all.")
