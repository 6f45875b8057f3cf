"""Writes of the network: departments' master data, sharing a closed round and stopping it,
trusting another installation's key, exporting and importing signed bundles.

Every write checks ``network.share`` (or runs as ``SYSTEM`` on the hub's command line), runs in
one transaction and is audit-logged. What is shared comes only from the round's stored,
disclosure-controlled results (``surveys.selectors.round_view``), never from responses.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden, NotFound
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Actor, Perm
from lokalsamfund.surveys import selectors as survey_selectors
from lokalsamfund.surveys.evidence import shown
from lokalsamfund.surveys.models import SurveyRound

from . import bundle, pool
from .models import (
    DepartmentKind,
    DepartmentProfile,
    ExportCounter,
    SharedDepartment,
    SharedRound,
    TrustedKey,
)


def local_member(organisation: Organisation | int) -> str:
    """The network's key of a local organisation (the pool counts organisations by it)."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return f"org:{pk}"


def profile_of(department: Department) -> tuple[str, str, str]:
    """(kind, size band, region) of a department; family housing until set."""
    profile = DepartmentProfile.objects.filter(department=department).first()
    kind = profile.kind if profile else DepartmentKind.FAMILY
    region = profile.region if profile else ""
    return str(kind), pool.size_band(department.homes), str(region)


def profile_set(*, actor: Actor, department: Department, kind: str, region: str) -> None:
    """Set a department's shareable master data; its rounds already shared follow."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, department.organisation)
    if kind not in DepartmentKind.values:
        raise DomainError(_("Choose a kind of housing."))
    with transaction.atomic():
        DepartmentProfile.objects.update_or_create(
            department=department, defaults={"kind": kind, "region": region}
        )
        member = local_member(department.organisation)
        SharedDepartment.objects.filter(
            shared_round__member=member,
            shared_round__trusted_key__isnull=True,
            label=bundle.department_label(member, department.code),
        ).update(kind=kind, region=region)
        log_action(
            actor=actor,
            action="network.profile_set",
            organisation=department.organisation,
            obj=department,
            data={"kind": kind, "region": region},
        )


def shareable_departments(survey_round: SurveyRound) -> list[dict[str, Any]]:
    """The departments of a closed round as the network may see them: master data bands,
    respondents and the shown figures of the network's indicators. Departments whose group is
    suppressed, or that show none of the indicators, are left out."""
    view = survey_selectors.round_view(
        survey_round, include_organisation=False, include_breakdowns=False
    )
    if view is None:
        raise Conflict(_("Only a closed round with results can be shared."))
    member = local_member(survey_round.organisation_id)
    departments = {
        d.code: d
        for d in Department.objects.filter(
            organisation_id=survey_round.organisation_id, code__in=list(view.departments)
        )
    }
    found = []
    for code, group in sorted(view.departments.items()):
        figures = {}
        for name in pool.INDICATORS:
            figure = shown(group, name)
            if figure is not None and figure.get("denominator"):
                figures[name] = {
                    "value": figure["value"],
                    "ci_low": figure["ci_low"],
                    "ci_high": figure["ci_high"],
                    "denominator": figure["denominator"],
                }
        if not figures or code not in departments or not group.get("n"):
            continue
        kind, band, region = profile_of(departments[code])
        found.append(
            {
                "label": bundle.department_label(member, code),
                "kind": kind,
                "size_band": band,
                "region": region,
                "respondents": group["n"],
                "figures": figures,
            }
        )
    return found


def _store_departments(shared: SharedRound, departments: list[dict[str, Any]]) -> None:
    SharedDepartment.objects.bulk_create(
        SharedDepartment(
            shared_round=shared,
            label=d["label"],
            kind=d["kind"],
            size_band=d["size_band"],
            region=d["region"],
            respondents=d["respondents"],
            figures=d["figures"],
        )
        for d in departments
    )


def round_share(*, actor: Actor, survey_round: SurveyRound) -> SharedRound:
    """Share a closed round's stored results with the network (opt-in, per round)."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, survey_round.organisation)
    if not survey_round.is_closed:
        raise Conflict(_("Only a closed round with results can be shared."))
    with transaction.atomic():
        if SharedRound.objects.filter(survey_round=survey_round).exists():
            raise Conflict(_("This round is already shared with the network."))
        departments = shareable_departments(survey_round)
        shared = SharedRound.objects.create(
            organisation=survey_round.organisation,
            survey_round=survey_round,
            member=local_member(survey_round.organisation),
            round_slug=survey_round.slug,
            closed_on=survey_round.closed_at.date() if survey_round.closed_at else None,
            shared_by=actor if isinstance(actor, User) else None,
        )
        _store_departments(shared, departments)
        log_action(
            actor=actor,
            action="network.round_shared",
            organisation=survey_round.organisation,
            obj=survey_round,
            data={"departments": len(departments)},
        )
    return shared


def round_unshare(*, actor: Actor, survey_round: SurveyRound) -> None:
    """Stop sharing a round: its figures leave every benchmark at once."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, survey_round.organisation)
    with transaction.atomic():
        deleted, _counts = SharedRound.objects.filter(survey_round=survey_round).delete()
        if not deleted:
            raise NotFound(_("This round is not shared with the network."))
        log_action(
            actor=actor,
            action="network.share_stopped",
            organisation=survey_round.organisation,
            obj=survey_round,
        )


# Several installations --------------------------------------------------------------------


def _require_operator(actor: Actor) -> None:
    """The hub's keys and imports are the platform's (its operators, or ``SYSTEM`` on the
    command line), never one organisation's."""
    if actor is permissions.SYSTEM or getattr(actor, "is_superuser", False):
        return
    raise Forbidden(_("Only the platform's operators manage the network's keys and bundles."))


def key_trust(
    *, actor: Actor, organisation_name: str, public_key: str, organisation: Organisation | None
) -> TrustedKey:
    """Trust an organisation's public key on this hub (its bundles may then be imported)."""
    _require_operator(actor)
    if not organisation_name.strip():
        raise DomainError(_("Give the organisation's name."))
    try:
        bundle.load_public_key(public_key)
    except bundle.BundleError as exc:
        raise DomainError(_("This is not an Ed25519 public key.")) from exc
    identifier = bundle.key_id(public_key)
    with transaction.atomic():
        if TrustedKey.objects.filter(key_id=identifier).exists():
            raise Conflict(_("This key is already trusted."))
        trusted = TrustedKey.objects.create(
            organisation_name=organisation_name.strip(),
            key_id=identifier,
            public_key=public_key.strip(),
            organisation=organisation,
        )
        log_action(
            actor=actor,
            action="network.key_trusted",
            organisation=organisation,
            obj=trusted,
            data={"key_id": identifier},
        )
    return trusted


def key_untrust(*, actor: Actor, key_id: str) -> int:
    """Stop trusting a key: every bundle imported with it leaves every benchmark at once.
    Returns how many shared rounds left."""
    _require_operator(actor)
    with transaction.atomic():
        trusted = TrustedKey.objects.filter(key_id=key_id).first()
        if trusted is None:
            raise NotFound(_("No trusted key with this id."))
        rounds = trusted.bundles.count()
        log_action(
            actor=actor,
            action="network.key_untrusted",
            organisation=trusted.organisation,
            obj=trusted,
            data={"key_id": key_id, "rounds": rounds},
        )
        trusted.delete()
    return rounds


def bundle_export(*, actor: Actor, survey_round: SurveyRound, private_key_pem: bytes) -> bytes:
    """A signed bundle of a closed round's shareable aggregates; each export is newer."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, survey_round.organisation)
    try:
        key = bundle.load_private_key(private_key_pem)
    except (ValueError, TypeError) as exc:
        raise DomainError(_("This is not an Ed25519 private key.")) from exc
    if not survey_round.is_closed:
        raise Conflict(_("Only a closed round with results can be shared."))
    public = bundle.public_key_text(key.public_key())
    with transaction.atomic():
        departments = shareable_departments(survey_round)
        counter, _created = ExportCounter.objects.select_for_update().get_or_create(
            survey_round=survey_round
        )
        counter.sequence += 1
        counter.save(update_fields=["sequence"])
        results = survey_selectors.stored_results(survey_round)
        payload = {
            "organisation": survey_round.organisation.name,
            "key_id": bundle.key_id(public),
            "round": survey_round.slug,
            "closed_on": (
                survey_round.closed_at.date().isoformat() if survey_round.closed_at else None
            ),
            "sequence": counter.sequence,
            "min_cell_size": results.min_cell_size if results else 0,
            "departments": departments,
        }
        bundle.check_payload(payload)
        log_action(
            actor=actor,
            action="network.bundle_exported",
            organisation=survey_round.organisation,
            obj=survey_round,
            data={"sequence": counter.sequence, "departments": len(departments)},
        )
    return bundle.sign(payload, key)


def _refuse(code: str, detail: str = "") -> DomainError:
    messages = {
        "format": _("The file is not a network bundle of this version."),
        "signature": _(
            "The bundle's signature is not valid: it was changed or not signed by its key."
        ),
        "key": _("The bundle is signed by a key this hub does not trust."),
        "replay": _("The hub already holds this version of the round or a newer one."),
        "below_k": _(
            "The bundle holds a figure below the minimum group size; nothing was imported."
        ),
    }
    return DomainError(messages[code], details={"reason": code, "detail": detail})


def bundle_import(*, actor: Actor, data: bytes) -> SharedRound:
    """Import a signed bundle on the hub: refused (nothing changed) when the signature is bad,
    the key unknown, the version not newer than the one held, or any cell below k."""
    _require_operator(actor)
    try:
        payload, signature = bundle.parse(data)
    except bundle.BundleError as exc:
        raise _refuse(exc.code, exc.detail) from exc
    trusted = TrustedKey.objects.filter(key_id=str(payload.get("key_id", ""))).first()
    if trusted is None:
        raise _refuse("key", str(payload.get("key_id", "")))
    try:
        bundle.verify(payload, signature, trusted.public_key)
        bundle.check_payload(payload)
    except bundle.BundleError as exc:
        raise _refuse(exc.code, exc.detail) from exc
    with transaction.atomic():
        held = (
            SharedRound.objects.select_for_update()
            .filter(member=trusted.member, round_slug=payload["round"])
            .first()
        )
        if held is not None and held.sequence >= payload["sequence"]:
            raise _refuse("replay", f"{held.sequence} >= {payload['sequence']}")
        if held is not None:
            if held.trusted_key_id is None:
                raise _refuse("replay", "the round is shared locally")
            held.delete()
        shared = SharedRound.objects.create(
            organisation=trusted.organisation,
            trusted_key=trusted,
            member=trusted.member,
            round_slug=payload["round"],
            closed_on=payload["closed_on"],
            sequence=payload["sequence"],
        )
        _store_departments(shared, payload["departments"])
        log_action(
            actor=actor,
            action="network.bundle_imported",
            organisation=trusted.organisation,
            obj=shared,
            data={
                "key_id": trusted.key_id,
                "sequence": payload["sequence"],
                "departments": len(payload["departments"]),
            },
        )
    return shared
