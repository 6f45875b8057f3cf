"""``lokalsamfund residents``: the tenancy list from the command line.

    lokalsamfund residents import FILE --organisation SLUG [--dry-run] [--partial]
                                       [--ignore COLUMN ...]

Reads and checks the whole file (all or nothing, every problem printed with its line and
column), prints what it does (added / changed / moving out / unchanged) and, unless
``--dry-run``, does it in one transaction. Without ``--partial`` the file is the full list of
the departments it names: their tenancies missing from it move out. Acts as the system (audit
log "system"); any error exits non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.residents import services
from lokalsamfund.residents.importing import ImportRejected, parse_tenancies


class Command(BaseCommand):
    help = "The tenancy list (lejemål): import with reconciliation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        imports = sub.add_parser("import", help="Import a CSV or XLSX tenancy list.")
        imports.add_argument("file")
        imports.add_argument("--organisation", required=True, help="Short name (slug).")
        imports.add_argument(
            "--dry-run", action="store_true", help="Check and count; store nothing."
        )
        imports.add_argument(
            "--partial",
            action="store_true",
            help="Only new or changed tenancies: nothing moves out.",
        )
        imports.add_argument("--ignore", action="append", default=[], help="A column to ignore.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation '{options['organisation']}'.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        full_list = not options["partial"]
        try:
            rows = parse_tenancies(
                data,
                path.name,
                departments=Department.objects.filter(organisation=organisation).values_list(
                    "code", flat=True
                ),
                ignore=options["ignore"],
            )
            if options["dry_run"]:
                plan = services.tenancy_import_plan(
                    actor=SYSTEM, organisation=organisation, rows=rows, full_list=full_list
                )
            else:
                plan = services.tenancy_import_apply(
                    actor=SYSTEM, organisation=organisation, rows=rows, full_list=full_list
                )
        except ImportRejected as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("The file was rejected; nothing was stored.") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        counts = plan.counts()
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb}: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['moving_out']} moving out, {counts['unchanged']} unchanged."
        )
