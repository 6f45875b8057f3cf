"""Human names of indicators, breakdowns and cells in the current language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import instrument

_NAMES = {
    "n": _("Respondents"),
    "severe_loneliness_share": _("Severe loneliness (UCLA-3 score 7-9)"),
    "ucla_mean": _("Loneliness score, mean (UCLA-3, 3-9)"),
    "lonely_often_share": _("Feel lonely often or always"),
    "unwanted_alone_often_share": _("Often alone when they would rather be with others"),
    "who5_mean": _("Well-being, mean (WHO-5, 0-100)"),
    "who5_low_share": _("Low well-being (WHO-5 ≤ 50)"),
    "who5_very_low_share": _("Very low well-being (WHO-5 ≤ 28)"),
    "participation_share": _("Took part in a community in the past year"),
    "regular_participation_share": _("Take part regularly (at least monthly)"),
    "belonging_share": _("Feel they belong in the neighbourhood"),
}
_BREAKDOWNS = {
    "age_group": _("Age"),
    "household": _("Household"),
    "years_here": _("Years lived here"),
    "gender": _("Gender"),
}
KEY_INDICATORS = (
    "severe_loneliness_share",
    "ucla_mean",
    "who5_mean",
    "who5_low_share",
    "participation_share",
    "belonging_share",
)


def _language() -> str:
    return "en" if (translation.get_language() or "da").startswith("en") else "da"


def indicator(name: str) -> str:
    if name in _NAMES:
        return str(_NAMES[name])
    code = name.removesuffix("_share")
    inst = instrument.canonical()
    if inst.has_item(code):
        return inst.item(code).texts[_language()]
    return name


def breakdown(name: str) -> str:
    return str(_BREAKDOWNS.get(name, name))


def cell(breakdown_name: str, value: str) -> str:
    if value == instrument.UNKNOWN_CELL:
        return str(_("Not answered"))
    item = instrument.canonical().item(breakdown_name)
    option = next((o for o in item.options if o.value == value), None)
    return option.texts[_language()] if option else value
