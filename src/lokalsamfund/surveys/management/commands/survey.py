"""``lokalsamfund survey``: rounds, imports and results from the command line.

    lokalsamfund survey round create SLUG --departments A1,A2 [--organisation ORG] [--title TEXT]
    lokalsamfund survey round close SLUG
    lokalsamfund survey round list
    lokalsamfund survey import --round SLUG FILE [--ignore COLUMN ...]
    lokalsamfund survey results --round SLUG --format json|csv

An administrator's tool: it acts as the system (audit log "system"). Any error exits non-zero
with a message; an import with errors stores nothing and prints every problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import export, selectors, services
from lokalsamfund.surveys.importing import ImportRejected


class Command(BaseCommand):
    help = "Survey rounds, imports and results (Fællesskabsmålingen)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        rounds = sub.add_parser("round", help="Create, close or list rounds.")
        actions = rounds.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create an open round.")
        create.add_argument("slug")
        create.add_argument("--departments", required=True, help="Codes, e.g. A1,A2.")
        create.add_argument("--organisation", help="Short name; optional when there is one.")
        create.add_argument("--title", default="")
        close = actions.add_parser("close", help="Close a round and compute its results.")
        close.add_argument("slug")
        actions.add_parser("list", help="List rounds.")
        imports = sub.add_parser("import", help="Import a CSV or XLSX file of responses.")
        imports.add_argument("--round", required=True, dest="round_slug")
        imports.add_argument("file")
        imports.add_argument("--ignore", action="append", default=[], help="A column to ignore.")
        results = sub.add_parser("results", help="Print a closed round's results.")
        results.add_argument("--round", required=True, dest="round_slug")
        results.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            if options["area"] == "round":
                getattr(self, f"_round_{options['action']}")(options)
            elif options["area"] == "import":
                self._import(options)
            else:
                self._results(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _organisation(self, slug: str | None) -> Organisation:
        if slug:
            found = Organisation.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"No organisation '{slug}'.")
            return found
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) != 1:
            raise CommandError("Give --organisation: there is not exactly one organisation.")
        return organisations[0]

    def _round_create(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        codes = [c.strip() for c in options["departments"].split(",") if c.strip()]
        departments = list(Department.objects.filter(organisation=organisation, code__in=codes))
        missing = sorted(set(codes) - {d.code for d in departments})
        if missing:
            raise CommandError(f"Unknown departments in {organisation.slug}: {', '.join(missing)}")
        created = services.round_create(
            actor=SYSTEM,
            organisation=organisation,
            slug=options["slug"],
            title=options["title"] or options["slug"],
            departments=departments,
            open_now=True,
        )
        self.stdout.write(f"Round '{created.slug}' is open for {', '.join(sorted(codes))}.")

    def _round_close(self, options: dict[str, Any]) -> None:
        survey_round = selectors.round_by_slug(options["slug"])
        results = services.round_close(actor=SYSTEM, survey_round=survey_round)
        self.stdout.write(
            f"Round '{survey_round.slug}' is closed; results for {results.respondents} respondents."
        )

    def _round_list(self, options: dict[str, Any]) -> None:
        for survey_round in selectors.rounds_for_system():
            codes = ",".join(d.code for d in survey_round.departments.all())
            self.stdout.write(
                f"{survey_round.slug}\t{survey_round.status}\t{survey_round.organisation.slug}"
                f"\t{codes}\t{survey_round.title}"
            )

    def _import(self, options: dict[str, Any]) -> None:
        survey_round = selectors.round_by_slug(options["round_slug"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            with path.open("rb") as stream:  # streamed: the size limit holds before reading
                count = services.responses_import(
                    actor=SYSTEM,
                    survey_round=survey_round,
                    data=stream,
                    filename=path.name,
                    ignore=options["ignore"],
                )
        except ImportRejected as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"{path.name}: rejected, nothing stored.") from exc
        self.stdout.write(f"Imported {count} responses into '{survey_round.slug}'.")

    def _results(self, options: dict[str, Any]) -> None:
        survey_round = selectors.round_by_slug(options["round_slug"])
        view = selectors.round_view(survey_round)
        if view is None:
            raise CommandError("Results exist only for a closed round.")
        if options["format"] == "json":
            self.stdout.write(json.dumps(view.contract(), ensure_ascii=False))
        else:
            self.stdout.write(export.to_csv(view.groups()), ending="")
