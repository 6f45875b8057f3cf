"""``lokalsamfund keys``: the keys of the encrypted personal fields.

    lokalsamfund keys generate   print a new key (put it first in LOKALSAMFUND_FIELD_KEYS)
    lokalsamfund keys rotate     re-encrypt every encrypted field with the first key and
                                 recompute the referrals' blind indexes
    lokalsamfund keys check      count tokens the first key alone cannot open (exit 1 if any)

Prints counts per model, never a value. See docs/deployment.md ("Rotating the field keys").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing.services.keys import keys_check, keys_rotate, new_key


class Command(BaseCommand):
    help = "Keys of the encrypted personal fields: generate, rotate, check."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        sub.add_parser("generate", help="Print a new key.")
        sub.add_parser("rotate", help="Re-encrypt every encrypted field with the newest key.")
        sub.add_parser("check", help="Count tokens not yet under the newest key.")

    def handle(self, *args: Any, **options: Any) -> None:
        area = options["area"]
        if area == "generate":
            self.stdout.write(new_key())
            return
        try:
            report = keys_rotate(actor=SYSTEM) if area == "rotate" else keys_check()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for label, count in report.tokens.items():
            self.stdout.write(f"{label}: {count}")
        if area == "rotate":
            self.stdout.write(
                f"Re-encrypted {report.total} values with the newest key; "
                f"{report.reindexed} blind indexes recomputed."
            )
        elif report.total:
            raise CommandError(
                f"{report.total} values are not under the newest key: run 'lokalsamfund keys "
                "rotate' before removing old keys."
            )
        else:
            self.stdout.write("Every value is under the newest key.")
