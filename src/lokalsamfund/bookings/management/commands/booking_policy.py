"""``lokalsamfund booking_policy --organisation SLUG``: install the shipped default policy
profile (marked "to be reviewed against the rules in force") as the organisation's default,
then print its table with the legal sources."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalsamfund.bookings.selectors import policy_from_profile
from lokalsamfund.bookings.services import policy_profile_install_default
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import SYSTEM


class Command(BaseCommand):
    help = "Install (if missing) and print an organisation's default booking policy profile."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {options['organisation']!r}.")
        policy = policy_from_profile(
            policy_profile_install_default(organisation=organisation, actor=SYSTEM)
        )
        state = "reviewed" if policy.reviewed else "to be reviewed against the rules in force"
        self.stdout.write(f"{policy.name} ({state}); not legal advice.")
        for rule in policy.rules:
            verdict = "no" if not rule.allowed else ("approval" if rule.needs_approval else "yes")
            self.stdout.write(
                f"  {rule.category:<26} {rule.use_type:<19} {verdict:<9} {rule.price_rule:<14} "
                f"{rule.source}"
            )
