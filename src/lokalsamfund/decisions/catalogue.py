"""The shipped catalogue and value parameters (data files in ``data/``), seeded idempotently,
and each organisation's view of them: its own rows override shipped rows of the same slug/key.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from lokalsamfund.core.models import Organisation

from .models import ActivityType, ValueParameter

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def shipped_activities() -> tuple[dict[str, Any], ...]:
    data = json.loads((DATA_DIR / "activities.json").read_text(encoding="utf-8"))
    return tuple(data["activities"])


@cache
def shipped_parameters() -> tuple[dict[str, Any], ...]:
    data = json.loads((DATA_DIR / "parameters.json").read_text(encoding="utf-8"))
    return tuple(data["parameters"])


def activity_fields(item: dict[str, Any]) -> dict[str, Any]:
    """Model fields of one activity of the data file."""
    fields = {k: v for k, v in item.items() if k not in {"slug", "participants", "lonely_share"}}
    for name in ("participants", "lonely_share"):
        fields[f"{name}_low"] = item[name]["low"]
        fields[name] = item[name]["value"]
        fields[f"{name}_high"] = item[name]["high"]
    return fields


def parameter_fields(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "key"}


def seed_shipped(*, update: bool = True) -> int:
    """Create the shipped rows that are missing (and refresh them when ``update``). Returns
    the number of rows created. Organisations' own rows are never touched."""
    created = 0
    with transaction.atomic():
        existing_a = {a.slug: a for a in ActivityType.objects.filter(organisation=None)}
        for item in shipped_activities():
            fields = activity_fields(item)
            row = existing_a.get(item["slug"])
            if row is None:
                ActivityType.objects.create(organisation=None, slug=item["slug"], **fields)
                created += 1
            elif update:
                ActivityType.objects.filter(pk=row.pk).update(**fields)
        existing_p = {p.key: p for p in ValueParameter.objects.filter(organisation=None)}
        for item in shipped_parameters():
            fields = parameter_fields(item)
            row_p = existing_p.get(item["key"])
            if row_p is None:
                ValueParameter.objects.create(organisation=None, key=item["key"], **fields)
                created += 1
            elif update:
                ValueParameter.objects.filter(pk=row_p.pk).update(**fields)
    return created


def ensure_shipped() -> None:
    """Seed the shipped rows if any is missing (e.g. in a fresh or flushed database)."""
    if ActivityType.objects.filter(organisation=None).count() < len(
        shipped_activities()
    ) or ValueParameter.objects.filter(organisation=None).count() < len(shipped_parameters()):
        seed_shipped(update=False)


def catalogue_for(
    organisation: Organisation, *, include_inactive: bool = False
) -> list[ActivityType]:
    """The organisation's catalogue: its own rows plus the shipped rows it has not overridden."""
    ensure_shipped()
    own = {a.slug: a for a in ActivityType.objects.filter(organisation=organisation)}
    rows = list(own.values()) + [
        a for a in ActivityType.objects.filter(organisation=None) if a.slug not in own
    ]
    if not include_inactive:
        rows = [a for a in rows if a.is_active]
    return sorted(rows, key=lambda a: a.slug)


def parameters_for(organisation: Organisation) -> dict[str, ValueParameter]:
    """Every parameter by key; the organisation's value where it set one."""
    ensure_shipped()
    params = {p.key: p for p in ValueParameter.objects.filter(organisation=None)}
    params.update({p.key: p for p in ValueParameter.objects.filter(organisation=organisation)})
    return dict(sorted(params.items()))
