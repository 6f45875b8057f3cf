"""``lokalsamfund backup FILE``: a consistent copy of the SQLite database, while the app runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Copy the SQLite database consistently (online backup API) to FILE. "
        "For PostgreSQL use pg_dump (docs/deployment.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the copy (must not exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is PostgreSQL: back it up with pg_dump "
                "(see docs/deployment.md, 'Backups')."
            )
        target = Path(options["file"]).resolve()
        if target.exists():
            raise CommandError(f"'{target}' exists already; choose a new file name.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder '{target.parent}' does not exist.")
        source_name = str(connection.settings_dict["NAME"])
        source = sqlite3.connect(source_name)
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
        self.stdout.write(f"Backup written to {target}")
