"""``lokalsamfund plan --department CODE [--round SLUG] --budget DKK [--coordinator-hours H]
[--driften-hours H] [--seed N] [--draws N] --format json|html|pdf [--output FILE]``"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import SYSTEM

from ...planning import (
    DEFAULT_COORDINATOR_HOURS,
    DEFAULT_DRAWS,
    DEFAULT_DRIFTEN_HOURS,
    DEFAULT_SEED,
    PlanRequest,
    compute_plan,
)
from ...rendering import render_report_document, render_report_pdf
from ...why_signals import why_signals


class Command(BaseCommand):
    help = "Compute a community plan for a department and print or write it (JSON, HTML, PDF)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--department", required=True, help="Department code, e.g. A1.")
        parser.add_argument(
            "--organisation", help="Organisation short name, when the code exists in several."
        )
        parser.add_argument(
            "--round",
            dest="round_slug",
            help="Closed survey round covering the department (default: its latest closed).",
        )
        parser.add_argument("--budget", type=float, required=True, help="Budget in DKK a year.")
        parser.add_argument("--coordinator-hours", type=float, default=DEFAULT_COORDINATOR_HOURS)
        parser.add_argument("--driften-hours", type=float, default=DEFAULT_DRIFTEN_HOURS)
        parser.add_argument(
            "--facility-hours",
            type=float,
            help="Free common-house hours a year (default: the booking system's free hours).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS)
        parser.add_argument("--risk-quantile", type=float, help="Maximise this quantile, e.g. 0.1.")
        parser.add_argument(
            "--example-data",
            action="store_true",
            help="Use clearly labelled example data when the department has no closed round "
            "with shown results (never instead of --round).",
        )
        parser.add_argument("--format", choices=["json", "html", "pdf"], required=True)
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--language", choices=["da", "en"], default=settings.LANGUAGE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        departments = Department.objects.filter(code=options["department"]).select_related(
            "organisation"
        )
        if options["organisation"]:
            departments = departments.filter(organisation__slug=options["organisation"])
        found = list(departments[:5])
        if not found:
            raise CommandError(
                f"--department: no department with the code '{options['department']}'."
            )
        if len(found) > 1:
            orgs = ", ".join(d.organisation.slug for d in found)
            raise CommandError(
                f"--department: the code '{options['department']}' exists in several "
                f"organisations ({orgs}); add --organisation."
            )
        if options["format"] == "pdf" and not options["output"] and sys.stdout.isatty():
            raise CommandError("--format pdf: give --output FILE (PDF is binary).")
        request = PlanRequest(
            budget_dkk=options["budget"],
            coordinator_hours=options["coordinator_hours"],
            driften_hours=options["driften_hours"],
            facility_hours=options["facility_hours"],
            round_slug=options["round_slug"],
            seed=options["seed"],
            draws=options["draws"],
            risk_quantile=options["risk_quantile"],
            allow_example=options["example_data"],
        )
        with translation.override(options["language"]):
            try:
                computed = compute_plan(
                    department=found[0], request=request, language=options["language"]
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            # The report carries the network's benchmark; referral figures are shown only to
            # whoever may see referral statistics, on the pages (a report made here goes to
            # the board).
            signals = (
                None
                if options["format"] == "json"
                else why_signals(
                    viewer=SYSTEM,
                    department=found[0],
                    plan_data=computed.data,
                    now=timezone.now(),
                    include_referrals=False,
                )
            )
            if options["format"] == "json":
                payload: bytes = (computed.json_text + "\n").encode("utf-8")
            elif options["format"] == "html":
                payload = render_report_document(
                    computed.data,
                    organisation=found[0].organisation.name,
                    made_on=timezone.localdate(),
                    signals=signals,
                ).encode("utf-8")
            else:
                payload = render_report_pdf(
                    computed.data,
                    organisation=found[0].organisation.name,
                    made_on=timezone.localdate(),
                    signals=signals,
                )
        if options["output"]:
            try:
                with open(options["output"], "wb") as handle:
                    handle.write(payload)
            except OSError as exc:
                raise CommandError(
                    f"--output: cannot write '{options['output']}': {exc.strerror}"
                ) from exc
            self.stderr.write(f"Wrote {options['output']} ({len(payload)} bytes).")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
