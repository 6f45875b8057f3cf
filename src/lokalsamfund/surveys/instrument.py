"""The canonical questionnaire, read from ``instrument.json`` (plain data, no Django).

``instrument.json`` is the one source of the canonical items, their answer options, the Danish
and English texts, the form's own texts (``ui``) and the national benchmarks; the database is
seeded from it (``seeding.py``); the pure modules (analysis, synthetic data) and the import
read it here. Item codes are the stable names of ``survey-instrument.md``.

Every answer is stored as a small integer ``code``: for numeric scales the scale value itself
(``1``..``5``, WHO-5 ``0``..``5``), for named values (``age_group``, ``household``, ...) the
option's position (1-based), and for multiple-choice flags ``0``/``1``. ``value`` is the text
used in imports, exports and the results (``"3"``, ``"16-24"``, ``"alone"``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INSTRUMENT_FILE = Path(__file__).with_name("instrument.json")

BREAKDOWNS = ("age_group", "household", "years_here", "gender")
UNKNOWN_CELL = "unknown"
UCLA_ITEMS = ("ucla_companionship", "ucla_left_out", "ucla_isolated")
WHO5_ITEMS = ("who5_1", "who5_2", "who5_3", "who5_4", "who5_5")
SEVERE_LONELINESS_MIN_SCORE = 7  # UCLA-3 score 7-9: "tegn på svær ensomhed"
WHO5_LOW_MAX = 50
WHO5_VERY_LOW_MAX = 28
FLAG_BLOCKS = ("barriers", "wishes")  # sections whose items are 0/1 flags


@dataclass(frozen=True)
class Option:
    code: int
    value: str
    texts: dict[str, str]


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    kind: str  # "single", "flag" or "text"
    optional: bool
    texts: dict[str, str]
    options: tuple[Option, ...]

    @property
    def stored(self) -> bool:
        """Has a small-integer column of its own (free text does not)."""
        return self.kind in {"single", "flag"}

    def option_for_code(self, code: int) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def allowed_values(self) -> list[str]:
        return [o.value for o in self.options]


@dataclass(frozen=True)
class Section:
    name: str
    texts: dict[str, tuple[str, str]]  # language -> (title, intro)


@dataclass(frozen=True)
class Instrument:
    items: tuple[Item, ...]
    sections: tuple[Section, ...]
    ui: dict[str, dict[str, str]]
    benchmarks: tuple[dict[str, Any], ...]
    languages: tuple[dict[str, str], ...]

    def item(self, code: str) -> Item:
        return self._by_code()[code]

    def has_item(self, code: str) -> bool:
        return code in self._by_code()

    def _by_code(self) -> dict[str, Item]:
        return {i.code: i for i in self.items}

    @property
    def stored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.stored)

    @property
    def column_codes(self) -> tuple[str, ...]:
        """The canonical answer columns of a response, in instrument order."""
        return tuple(i.code for i in self.stored_items)

    def section_items(self, section: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == section)

    def flag_codes(self, section: str) -> tuple[str, ...]:
        return tuple(i.code for i in self.section_items(section) if i.kind == "flag")


def _parse(raw: dict[str, Any]) -> Instrument:
    items = tuple(
        Item(
            code=i["code"],
            section=i["section"],
            kind=i["kind"],
            optional=bool(i["optional"]),
            texts={"da": i["da"], "en": i["en"]},
            options=tuple(
                Option(code=int(o["code"]), value=o["value"], texts={"da": o["da"], "en": o["en"]})
                for o in i["options"]
            ),
        )
        for i in raw["items"]
    )
    sections = tuple(
        Section(name=s["name"], texts={"da": tuple(s["da"]), "en": tuple(s["en"])})
        for s in raw["sections"]
    )
    return Instrument(
        items=items,
        sections=sections,
        ui=raw["ui"],
        benchmarks=tuple(raw["benchmarks"]),
        languages=tuple(raw["source_languages"]),
    )


@cache
def canonical() -> Instrument:
    """The canonical instrument (read once per process)."""
    return _parse(json.loads(INSTRUMENT_FILE.read_text(encoding="utf-8")))


def column_codes() -> tuple[str, ...]:
    return canonical().column_codes


def flag_block_of(code: str) -> str | None:
    item = canonical().item(code)
    return item.section if item.kind == "flag" else None


# Text keys of the translatable catalogue (``SurveyText.key``): one per item, option, section
# title and intro, and form text. An organisation adds a language by giving these texts.
def item_key(code: str) -> str:
    return f"item.{code}"


def option_key(code: str, value: str) -> str:
    return f"option.{code}.{value}"


def section_key(name: str, part: str) -> str:
    return f"section.{name}.{part}"


def ui_key(name: str) -> str:
    return f"ui.{name}"


def canonical_texts(language: str) -> dict[str, str]:
    """Every canonical text key with its text in ``language`` ("da" or "en")."""
    inst = canonical()
    texts: dict[str, str] = {}
    for section in inst.sections:
        title, intro = section.texts[language]
        texts[section_key(section.name, "title")] = title
        texts[section_key(section.name, "intro")] = intro
    for item in inst.items:
        texts[item_key(item.code)] = item.texts[language]
        if item.kind == "flag":
            continue  # a flag is its item's text; "ja"/"nej" are not shown
        for option in item.options:
            texts[option_key(item.code, option.value)] = option.texts[language]
    for name, by_language in inst.ui.items():
        texts[ui_key(name)] = by_language[language]
    return texts
