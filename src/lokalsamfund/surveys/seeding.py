"""Seed the canonical instrument and national benchmarks from ``instrument.json``.

Idempotent: run by the data migration ``0002_seed_instrument`` and again by the demo; an
existing canonical text is brought up to date with the file, nothing else is touched. Takes
an ``apps`` registry so that the migration can pass its historical models.
"""

from __future__ import annotations

from typing import Any

from . import instrument


def seed_instrument(apps: Any) -> None:
    language_model = apps.get_model("surveys", "SurveyLanguage")
    item_model = apps.get_model("surveys", "SurveyItem")
    option_model = apps.get_model("surveys", "SurveyOption")
    text_model = apps.get_model("surveys", "SurveyText")
    benchmark_model = apps.get_model("surveys", "NationalBenchmark")
    inst = instrument.canonical()

    for language in inst.languages:
        language_model.objects.update_or_create(
            organisation=None,
            code=language["code"],
            defaults={"name": language["name"], "direction": language["dir"]},
        )
    for position, item in enumerate(inst.items, start=1):
        row, _ = item_model.objects.update_or_create(
            organisation=None,
            code=item.code,
            defaults={
                "section": item.section,
                "kind": item.kind,
                "optional": item.optional,
                "position": position,
                "active": True,
            },
        )
        for option_position, option in enumerate(item.options, start=1):
            option_model.objects.update_or_create(
                item=row,
                code=option.code,
                defaults={"value": option.value, "position": option_position},
            )
    for code in ("da", "en"):
        wanted = instrument.canonical_texts(code)
        existing = {t.key: t for t in text_model.objects.filter(organisation=None, language=code)}
        text_model.objects.bulk_create(
            [
                text_model(organisation=None, language=code, key=key, text=text)
                for key, text in wanted.items()
                if key not in existing
            ]
        )
        changed = [t for key, t in existing.items() if key in wanted and t.text != wanted[key]]
        for text in changed:
            text.text = wanted[text.key]
        text_model.objects.bulk_update(changed, ["text"])
    for figure in inst.benchmarks:
        benchmark_model.objects.update_or_create(
            organisation=None,
            indicator=figure["indicator"],
            breakdown=figure["breakdown"] or "",
            cell=figure["cell"] or "",
            year=figure["year"],
            defaults={
                "population": figure["population"],
                "value": figure["value"],
                "source": figure["source"],
            },
        )
