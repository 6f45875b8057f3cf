"""``lokalsamfund demo``: create (or complete) the demo organisation; idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lokalsamfund.core.demo import DEMO_PASSWORD, DEMO_USERS, database_is_empty, load_demo


class Command(BaseCommand):
    help = "Create the demo organisation, departments, users and each domain's demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing unless the database is empty."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not database_is_empty():
            self.stdout.write("The database has data; demo data not loaded.")
            return
        ctx = load_demo()
        self.stdout.write(f"Demo organisation: {ctx.organisation.name}")
        self.stdout.write("Departments: " + ", ".join(sorted(ctx.departments)))
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(f"Demo users (password '{DEMO_PASSWORD}'):")
        width = max(len(email) for email, *_rest in DEMO_USERS)
        for email, _name, role, codes in DEMO_USERS:
            scope = ", ".join(codes) if codes else "-"
            self.stdout.write(f"  {email:<{width}} {role.label} ({scope})")
