"""``lokalsamfund green SUBCOMMAND``: the subcommands are the modules of
``lokalsamfund.green.cli`` (e.g. ``allocate``, ``remind-loans``, ``tidy``)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from lokalsamfund.green import cli


def _subcommands() -> dict[str, ModuleType]:
    return {
        info.name.replace("_", "-"): importlib.import_module(f"{cli.__name__}.{info.name}")
        for info in pkgutil.iter_modules(cli.__path__)
        if not info.name.startswith("_")
    }


class Command(BaseCommand):
    help = "Green groups: plot allocation, the tool shed's reminders, the work days' upkeep."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in sorted(_subcommands().items()):
            module.add_arguments(sub.add_parser(name, help=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        _subcommands()[options["subcommand"]].run(self, options)
