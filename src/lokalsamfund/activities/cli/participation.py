"""``lokalsamfund activities participation --department CODE [--organisation SLUG] --from
YYYY-MM --to YYYY-MM --format json|csv``: participation per month and activity type of a
department, through the same disclosure control as the pages and the API (the command runs as
the platform, so it sees what a coordinator sees: never a figure below k)."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import SYSTEM

from .. import figures

HELP = "Participation figures of a department (disclosure-controlled), as JSON or CSV."

CSV_FIELDS = ("month", "activity_type", "sessions", "attendances", "average", "new_faces")


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--department", required=True, help="The department's code, e.g. A1.")
    parser.add_argument(
        "--organisation", help="Organisation short name, when the code exists in several."
    )
    parser.add_argument("--from", dest="first", required=True, help="First month, YYYY-MM.")
    parser.add_argument("--to", dest="last", required=True, help="Last month, YYYY-MM.")
    parser.add_argument("--format", choices=["json", "csv"], default="json")


def find_department(code: str, organisation: str | None) -> Department:
    departments = Department.objects.filter(code=code).select_related("organisation")
    if organisation:
        departments = departments.filter(organisation__slug=organisation)
    found = list(departments[:10])
    if not found:
        raise CommandError(f"No department '{code}'.")
    if len(found) > 1:
        orgs = ", ".join(d.organisation.slug for d in found)
        raise CommandError(
            f"Department '{code}' exists in several organisations ({orgs}); add --organisation."
        )
    return found[0]


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    department = find_department(options["department"], options.get("organisation"))
    try:
        report = figures.report(
            actor=SYSTEM,
            organisation=department.organisation,
            department=department,
            first=options["first"],
            last=options["last"],
        )
    except DomainError as exc:
        raise CommandError(exc.message) from exc
    if options["format"] == "json":
        command.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        return
    writer = csv.writer(command.stdout, lineterminator="\n")
    writer.writerow([*CSV_FIELDS, "suppressed"])
    for row in report.flat_rows():
        values = ["" if row[f] is None else row[f] for f in CSV_FIELDS]
        writer.writerow([*values, row["suppressed"]])
