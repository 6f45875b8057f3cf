"""Several installations: keys, signed bundles, trust, import refusals (bad signature, unknown
key, replay, a cell below k, tampering), each with a clear message and nothing changed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import bundle, services
from lokalsamfund.network.models import SharedDepartment, SharedRound, TrustedKey
from lokalsamfund.surveys.models import SurveyRound


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("network", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.key"
    run("key", "create", "--output", str(path))
    return path


@pytest.fixture
def exported(own_round: SurveyRound, key_file: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bundle.json"
    run("export", "--round", own_round.slug, "--output", str(out), "--key", str(key_file))
    return out


def trust(key_file: Path, name: str = "Boligselskabet Fjern") -> None:
    run("trust", "--organisation", name, "--key", f"{key_file}.pub")


def refused(path: Path, reason: str) -> None:
    before = (SharedRound.objects.count(), SharedDepartment.objects.count())
    with pytest.raises(CommandError) as caught:
        run("import", str(path))
    assert str(caught.value)
    with pytest.raises(DomainError) as again:
        services.bundle_import(actor=SYSTEM, data=path.read_bytes())
    assert again.value.details["reason"] == reason
    assert (SharedRound.objects.count(), SharedDepartment.objects.count()) == before


def test_key_create(key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert bundle.load_private_key(key_file.read_bytes())
    public = Path(f"{key_file}.pub").read_text()
    assert bundle.load_public_key(public)
    with pytest.raises(CommandError):
        run("key", "create", "--output", str(key_file))  # never overwritten


def test_export_holds_aggregates_only(exported: Path) -> None:
    data = json.loads(exported.read_bytes())
    payload = data["payload"]
    assert payload["round"] == "egen-runde"
    assert payload["sequence"] == 1
    assert set(payload) == bundle.PAYLOAD_KEYS
    (department,) = payload["departments"]
    assert set(department) == bundle.DEPARTMENT_KEYS
    assert "A1" not in exported.read_text()
    assert department["respondents"] == 60


def test_import_and_benchmark(
    exported: Path, key_file: Path, sharing_orgs: list[SurveyRound]
) -> None:
    trust(key_file)
    assert "version 1" in run("import", str(exported))
    shared = SharedRound.objects.get(trusted_key__isnull=False)
    assert shared.member == "peer:boligselskabet fjern"
    other = Department.objects.get(organisation__slug="net-0", code="N1")
    out = json.loads(run("benchmark", "--department", "N1", "--organisation", "net-0"))
    assert out["department"] == "N1"
    # net-0's pool: net-1, net-2 and the imported organisation, 2 + 2 + 1 departments.
    assert out["all"]["severe_loneliness_share"]["organisations"] == 3
    assert out["all"]["severe_loneliness_share"]["departments"] == 5
    assert other.pk


def test_unknown_key_refused(exported: Path) -> None:
    refused(exported, "key")
    assert not SharedRound.objects.exists()


def test_bad_signature_refused(exported: Path, key_file: Path, tmp_path: Path) -> None:
    trust(key_file)
    data = json.loads(exported.read_bytes())
    data["payload"]["departments"][0]["figures"]["severe_loneliness_share"]["value"] = 0.01
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    refused(tampered, "signature")


def test_signed_by_another_key_refused(exported: Path, key_file: Path, tmp_path: Path) -> None:
    trust(key_file)
    data = json.loads(exported.read_bytes())
    forged = bundle.sign(data["payload"], bundle.new_private_key())
    path = tmp_path / "forged.json"
    path.write_bytes(forged)
    refused(path, "signature")


def test_replay_refused(
    own_round: SurveyRound, exported: Path, key_file: Path, tmp_path: Path
) -> None:
    trust(key_file)
    run("import", str(exported))
    refused(exported, "replay")  # the same version again
    newer = tmp_path / "newer.json"
    run("export", "--round", own_round.slug, "--output", str(newer), "--key", str(key_file))
    assert "version 2" in run("import", str(newer))
    refused(exported, "replay")  # an older version after a newer one
    assert SharedRound.objects.get().sequence == 2


def test_cell_below_k_refused(exported: Path, key_file: Path, tmp_path: Path) -> None:
    trust(key_file)
    data = json.loads(exported.read_bytes())
    payload = data["payload"]
    payload["departments"][0]["figures"]["severe_loneliness_share"]["denominator"] = 4
    path = tmp_path / "small.json"
    path.write_bytes(bundle.sign(payload, bundle.load_private_key(key_file.read_bytes())))
    refused(path, "below_k")
    with pytest.raises(bundle.BundleError) as caught:
        bundle.check_payload(payload)
    assert caught.value.code == "below_k"


def test_unexpected_fields_refused(exported: Path, key_file: Path, tmp_path: Path) -> None:
    trust(key_file)
    payload = json.loads(exported.read_bytes())["payload"]
    payload["departments"][0]["code"] = "A1"
    path = tmp_path / "extra.json"
    path.write_bytes(bundle.sign(payload, bundle.load_private_key(key_file.read_bytes())))
    refused(path, "format")


def test_not_a_bundle_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "junk.json"
    path.write_text("{}")
    refused(path, "format")


def test_trust_twice_refused(db: None, key_file: Path) -> None:
    trust(key_file)
    with pytest.raises(CommandError):
        trust(key_file, "Et andet navn")
    assert TrustedKey.objects.count() == 1


def test_untrust_removes_imported_data(exported: Path, key_file: Path) -> None:
    trust(key_file)
    run("import", str(exported))
    key_id = TrustedKey.objects.get().key_id
    assert "1 rounds" in run("untrust", "--key-id", key_id)
    assert not SharedRound.objects.exists()
    assert not SharedDepartment.objects.exists()
    refused(exported, "key")
