"""Writes of the decision tool: saved plans, catalogue and parameter overrides, value bank."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions, tabular
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Actor, Perm

from .catalogue import catalogue_for, ensure_shipped, parameters_for
from .models import ActivityType, Plan, ValueBankEntry, ValueParameter
from .planning import ComputedPlan, PlanRequest, compute_plan
from .value_bank import MAX_BYTES, MAX_ROWS, BankFileError, parse_bank


def plan_create(
    *,
    actor: Actor,
    department: Department,
    request: PlanRequest,
    title: str = "",
    computed: ComputedPlan | None = None,
) -> Plan:
    """Compute and save a plan for ``department`` (MANAGE_PLANS on it)."""
    permissions.require(actor, Perm.MANAGE_PLANS, department)
    if computed is None:
        computed = compute_plan(
            department=department, request=request, language=get_language() or "da"
        )
    title = title.strip()[:200] or _("Plan for %(code)s, budget %(budget)s DKK") % {
        "code": department.code,
        "budget": f"{round(request.budget_dkk):,}".replace(",", "."),
    }
    with transaction.atomic():
        plan = Plan.objects.create(
            organisation=department.organisation,
            department=department,
            title=title,
            round_slug=computed.evidence.round_slug,
            evidence_kind=computed.evidence_kind,
            seed=request.seed,
            draws=request.draws,
            budget_dkk=request.budget_dkk,
            coordinator_hours=request.coordinator_hours,
            driften_hours=request.driften_hours,
            facility_hours=computed.facility_hours,
            risk_quantile=request.risk_quantile,
            result_json=computed.json_text,
            created_by=actor if isinstance(actor, User) else None,
        )
        log_action(
            actor=actor,
            action="decisions.plan_created",
            organisation=department.organisation,
            obj=plan,
            data={
                "department": department.code,
                "budget_dkk": request.budget_dkk,
                "seed": request.seed,
                "draws": request.draws,
                "evidence": computed.evidence_kind,
            },
        )
    return plan


def plan_delete(*, actor: Actor, plan: Plan) -> None:
    permissions.require(actor, Perm.MANAGE_PLANS, plan.department)
    with transaction.atomic():
        log_action(
            actor=actor,
            action="decisions.plan_deleted",
            organisation=plan.organisation,
            obj=plan,
            data={"department": plan.department.code},
        )
        plan.delete()


ACTIVITY_FIELDS = (
    "name_da",
    "name_en",
    "description_da",
    "description_en",
    "barriers",
    "wishes",
    "target_groups",
    "sessions_per_year",
    "participants_per_session",
    "participants_low",
    "participants",
    "participants_high",
    "lonely_share_low",
    "lonely_share",
    "lonely_share_high",
    "coordinator_hours",
    "volunteer_hours",
    "driften_hours",
    "materials_dkk",
    "facility_hours",
    "max_scale",
    "evidence_class",
    "source",
    "estimate_note",
    "is_active",
)


def _check_interval(label: str, low: float, value: float, high: float) -> None:
    if not low <= value <= high:
        raise DomainError(
            _(
                "%(field)s: the interval must hold low ≤ most likely ≤ high "
                "(got %(low)s, %(value)s, %(high)s)."
            )
            % {"field": label, "low": low, "value": value, "high": high}
        )


def activity_type_save(
    *, actor: Actor, organisation: Organisation, slug: str | None, data: dict[str, Any]
) -> ActivityType:
    """Create the organisation's own activity type (``slug`` None: ``data['slug']``), or save
    its edit of one: editing a shipped type creates the organisation's copy that overrides it."""
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    ensure_shipped()
    _check_interval(
        _("participants"), data["participants_low"], data["participants"], data["participants_high"]
    )
    _check_interval(
        _("share lonely"), data["lonely_share_low"], data["lonely_share"], data["lonely_share_high"]
    )
    fields = {k: data[k] for k in ACTIVITY_FIELDS if k in data}
    with transaction.atomic():
        if slug is None:
            new_slug = data["slug"]
            if any(a.slug == new_slug for a in catalogue_for(organisation, include_inactive=True)):
                raise DomainError(
                    _("slug: '%(slug)s' is already in the catalogue.") % {"slug": new_slug}
                )
            row = ActivityType.objects.create(organisation=organisation, slug=new_slug, **fields)
            action = "decisions.activity_created"
        else:
            row_or_none = ActivityType.objects.filter(organisation=organisation, slug=slug).first()
            if row_or_none is None:
                if not ActivityType.objects.filter(organisation=None, slug=slug).exists():
                    raise NotFound(_("There is no activity type '%(slug)s'.") % {"slug": slug})
                row = ActivityType.objects.create(organisation=organisation, slug=slug, **fields)
                action = "decisions.activity_overridden"
            else:
                row = row_or_none
                for key, value in fields.items():
                    setattr(row, key, value)
                row.updated_at = timezone.now()
                row.save()
                action = "decisions.activity_updated"
        log_action(
            actor=actor, action=action, organisation=organisation, obj=row, data={"slug": row.slug}
        )
    return row


def activity_type_reset(*, actor: Actor, organisation: Organisation, slug: str) -> None:
    """Remove the organisation's own row (back to the shipped version, or gone if its own)."""
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    with transaction.atomic():
        row = ActivityType.objects.filter(organisation=organisation, slug=slug).first()
        if row is None:
            raise NotFound(_("There is no edited activity type '%(slug)s'.") % {"slug": slug})
        log_action(
            actor=actor,
            action="decisions.activity_reset",
            organisation=organisation,
            obj=row,
            data={"slug": slug},
        )
        row.delete()


def parameter_save(
    *, actor: Actor, organisation: Organisation, key: str, data: dict[str, Any]
) -> ValueParameter:
    """Save the organisation's value of a parameter (value, interval, year, source, note)."""
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    params = parameters_for(organisation)
    if key not in params:
        raise NotFound(_("There is no parameter '%(key)s'.") % {"key": key})
    base = params[key]
    _check_interval(key, data["low"], data["value"], data["high"])
    if base.unit.startswith("share") and not (data["low"] >= 0 and data["high"] <= 1):
        raise DomainError(_("%(field)s: a share must lie between 0 and 1.") % {"field": key})
    if key in {"benefit_years"} and data["value"] < 1:
        raise DomainError(_("%(field)s: must be at least 1.") % {"field": key})
    if not str(data.get("source", "")).strip():
        raise DomainError(_("source: every parameter needs a source."))
    with transaction.atomic():
        row, _created = ValueParameter.objects.update_or_create(
            organisation=organisation,
            key=key,
            defaults={
                "group": base.group,
                "name_da": base.name_da,
                "name_en": base.name_en,
                "unit": base.unit,
                "used_in_model": base.used_in_model,
                "distribution": data.get("distribution") or base.distribution,
                "value": data["value"],
                "low": data["low"],
                "high": data["high"],
                "year": data["year"],
                "source": data["source"].strip(),
                "note": data.get("note", "").strip(),
                "updated_at": timezone.now(),
            },
        )
        log_action(
            actor=actor,
            action="decisions.parameter_saved",
            organisation=organisation,
            obj=row,
            data={"key": key, "value": data["value"], "low": data["low"], "high": data["high"]},
        )
    return row


def parameter_reset(*, actor: Actor, organisation: Organisation, key: str) -> None:
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    with transaction.atomic():
        deleted, _detail = ValueParameter.objects.filter(
            organisation=organisation, key=key
        ).delete()
        if not deleted:
            raise NotFound(_("There is no edited parameter '%(key)s'.") % {"key": key})
        log_action(
            actor=actor,
            action="decisions.parameter_reset",
            organisation=organisation,
            data={"key": key},
        )


# The value bank is a short list: its file is read within tighter limits than other tables.
VALUE_BANK_LIMITS = tabular.TableLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1, max_columns=20)


def value_bank_import(
    *,
    actor: Actor,
    organisation: Organisation,
    data: bytes | IO[bytes],
    filename: str = "bank.csv",
) -> int:
    """Replace the organisation's value bank by the rows of a CSV file (whole-file rejection:
    any error changes nothing). The file is read by ``core.tabular`` within
    ``VALUE_BANK_LIMITS``. Returns the number of rows imported."""
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    if not filename.lower().endswith((".csv", ".txt")):
        filename = f"{filename}.csv"  # the bank is CSV whatever the upload was called
    try:
        table = [row.cells for row in tabular.read_table(data, filename, limits=VALUE_BANK_LIMITS)]
        rows = parse_bank(table, _)
    except tabular.TableRejected as exc:
        raise DomainError(
            _("The value bank was not imported: %(errors)s") % {"errors": "; ".join(exc.messages)},
            details={"errors": exc.messages},
        ) from exc
    except BankFileError as exc:
        raise DomainError(
            _("The value bank was not imported: %(errors)s")
            % {"errors": "; ".join(exc.errors[:20])},
            details={"errors": exc.errors},
        ) from exc
    with transaction.atomic():
        chosen = (
            ValueBankEntry.objects.filter(organisation=organisation, use_for_loneliness=True)
            .values_list("outcome", flat=True)
            .first()
        )
        ValueBankEntry.objects.filter(organisation=organisation).delete()
        ValueBankEntry.objects.bulk_create(
            [
                ValueBankEntry(
                    organisation=organisation,
                    outcome=row.outcome,
                    value=row.value,
                    unit=row.unit,
                    source=row.source,
                    use_for_loneliness=(row.outcome == chosen),
                    imported_by=actor if isinstance(actor, User) else None,
                )
                for row in rows
            ]
        )
        log_action(
            actor=actor,
            action="decisions.value_bank_imported",
            organisation=organisation,
            data={"rows": len(rows)},
        )
    return len(rows)


def value_bank_use(*, actor: Actor, organisation: Organisation, entry_id: int | None) -> None:
    """Use one entry of the organisation's value bank as the societal value of a person
    leaving severe loneliness (None: back to the shipped parameter)."""
    permissions.require(actor, Perm.MANAGE_PLANS, organisation)
    with transaction.atomic():
        entries = ValueBankEntry.objects.select_for_update().filter(organisation=organisation)
        entry = None
        if entry_id is not None:
            entry = entries.filter(pk=entry_id).first()
            if entry is None:
                raise NotFound(_("There is no such entry in your value bank."))
        entries.update(use_for_loneliness=False)
        if entry is not None:
            entries.filter(pk=entry.pk).update(use_for_loneliness=True)
        log_action(
            actor=actor,
            action="decisions.value_bank_used",
            organisation=organisation,
            data={"outcome": entry.outcome if entry else None},
        )
