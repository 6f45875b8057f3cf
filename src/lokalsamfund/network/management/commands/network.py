"""``lokalsamfund network SUBCOMMAND``: keys, signed bundles and benchmarks of the network
across installations (docs/network.md).

- ``key create --output FILE``: a new Ed25519 key (FILE, mode 0600) and its public key
  (FILE.pub, base64) to hand to the hub;
- ``export --round SLUG --output FILE --key FILE``: a signed bundle of a closed round's
  aggregates (on the organisation's own server);
- ``trust --organisation NAME --key FILE [--local SLUG]``: the hub trusts an organisation's key;
- ``untrust --key-id ID``: the hub stops trusting a key; its bundles leave every benchmark;
- ``import FILE``: the hub imports a bundle (refused, nothing changed, when the signature is
  bad, the key unknown, the version not newer, or a cell below k);
- ``benchmark --department CODE [--organisation SLUG] --format json``.

Commands run as the platform (``SYSTEM``) and print refusals as errors (exit status 1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import bundle, selectors, services
from lokalsamfund.surveys.models import SurveyRound


def _department(code: str, organisation: str | None) -> Department:
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


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc


def _write(path: str, data: bytes, *, private: bool = False) -> None:
    target = Path(path)
    if private:
        if target.exists():
            raise CommandError(f"{path} exists; a key is never overwritten.")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    target.write_bytes(data)


class Command(BaseCommand):
    help = "The network: keys, signed bundles of shared aggregates, benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        key = sub.add_parser("key", help="Signing keys of this organisation.")
        key_sub = key.add_subparsers(dest="key_command", required=True)
        create = key_sub.add_parser("create", help="Create an Ed25519 key pair.")
        create.add_argument("--output", required=True, help="Private key file (PEM, 0600).")

        export = sub.add_parser("export", help="Write a signed bundle of a closed round.")
        export.add_argument("--round", required=True, help="The round's short name.")
        export.add_argument("--output", required=True, help="The bundle file to write.")
        export.add_argument(
            "--key",
            default=os.environ.get("LOKALSAMFUND_NETWORK_KEY_FILE", ""),
            help="Private key file (default: $LOKALSAMFUND_NETWORK_KEY_FILE).",
        )

        trust = sub.add_parser("trust", help="Trust an organisation's public key (hub).")
        trust.add_argument("--organisation", required=True, help="The organisation's name.")
        trust.add_argument("--key", required=True, help="Its public key file (FILE.pub).")
        trust.add_argument(
            "--local", help="Short name of the same organisation on this installation, if any."
        )

        untrust = sub.add_parser("untrust", help="Stop trusting a key; its data leaves (hub).")
        untrust.add_argument("--key-id", required=True, help="The key's id (see trust).")

        imp = sub.add_parser("import", help="Import a signed bundle (hub).")
        imp.add_argument("file", help="The bundle file.")

        bench = sub.add_parser("benchmark", help="A department's benchmarks.")
        bench.add_argument("--department", required=True, help="The department's code.")
        bench.add_argument("--organisation", help="Organisation short name, if ambiguous.")
        bench.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        command = options["subcommand"]
        try:
            getattr(self, f"_{command}")(options)
        except DomainError as exc:
            detail = exc.details.get("detail")
            raise CommandError(f"{exc.message} ({detail})" if detail else str(exc.message)) from exc

    def _key(self, options: dict[str, Any]) -> None:
        key = bundle.new_private_key()
        public = bundle.public_key_text(key.public_key())
        _write(options["output"], bundle.private_key_pem(key), private=True)
        _write(f"{options['output']}.pub", (public + "\n").encode())
        self.stdout.write(
            f"Key {bundle.key_id(public)} written to {options['output']} "
            f"(public key: {options['output']}.pub)."
        )

    def _export(self, options: dict[str, Any]) -> None:
        if not options["key"]:
            raise CommandError("Give --key FILE (or set LOKALSAMFUND_NETWORK_KEY_FILE).")
        survey_round = SurveyRound.objects.filter(slug=options["round"]).first()
        if survey_round is None:
            raise CommandError(f"No round '{options['round']}'.")
        data = services.bundle_export(
            actor=SYSTEM, survey_round=survey_round, private_key_pem=_read(options["key"])
        )
        _write(options["output"], data)
        sequence = json.loads(data)["payload"]["sequence"]
        self.stdout.write(f"Bundle of '{survey_round.slug}', version {sequence}, written.")

    def _trust(self, options: dict[str, Any]) -> None:
        local = None
        if options.get("local"):
            local = Organisation.objects.filter(slug=options["local"]).first()
            if local is None:
                raise CommandError(f"No organisation '{options['local']}'.")
        trusted = services.key_trust(
            actor=SYSTEM,
            organisation_name=options["organisation"],
            public_key=_read(options["key"]).decode(errors="replace"),
            organisation=local,
        )
        self.stdout.write(f"Trusted key {trusted.key_id} of {trusted.organisation_name}.")

    def _untrust(self, options: dict[str, Any]) -> None:
        rounds = services.key_untrust(actor=SYSTEM, key_id=options["key_id"])
        self.stdout.write(f"Key {options['key_id']} no longer trusted; {rounds} rounds removed.")

    def _import(self, options: dict[str, Any]) -> None:
        shared = services.bundle_import(actor=SYSTEM, data=_read(options["file"]))
        self.stdout.write(
            f"Imported '{shared.round_slug}' version {shared.sequence} "
            f"({shared.departments.count()} departments)."
        )

    def _benchmark(self, options: dict[str, Any]) -> None:
        department = _department(options["department"], options.get("organisation"))
        result = selectors.department_benchmark(department)
        self.stdout.write(
            json.dumps(
                {
                    "organisation": department.organisation.slug,
                    "department": department.code,
                    **result.as_dict(),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
