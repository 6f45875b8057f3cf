"""``lokalsamfund token create --user EMAIL``: print a new API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalsamfund.core.models import User
from lokalsamfund.core.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token.")
        create.add_argument("--user", required=True, help="The user's e-mail address.")
        create.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["user"].strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail address '{email}'.")
        self.stdout.write(token_create(user=user, name=options["name"]))
