"""Translated labels for codes used in plans (barriers, wishes, resources, inputs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lokalsamfund.network.local_evidence import LocalEvidence

BARRIERS = {
    "barrier_no_info": _("I don't know what is going on"),
    "barrier_time": _("The times don't suit me"),
    "barrier_know_nobody": _("I don't know anyone who takes part"),
    "barrier_first_step": _("It is hard to take the first step"),
    "barrier_not_welcome": _("I don't feel welcome"),
    "barrier_language": _("Language is a barrier"),
    "barrier_health": _("Health or disability makes it hard"),
    "barrier_cost": _("It costs too much"),
    "barrier_childcare": _("I have no one to mind my children"),
    "barrier_no_relevant": _("No activity interests me"),
    "barrier_no_need": _("I don't need it"),
}
WISHES = {
    "wish_meals": _("communal dining"),
    "wish_garden": _("gardens and green spaces"),
    "wish_exercise": _("exercise"),
    "wish_culture": _("culture, music and film"),
    "wish_children": _("children and families"),
    "wish_learning": _("courses and homework help"),
    "wish_crafts": _("workshop and repairs"),
    "wish_help": _("helping neighbours / volunteering"),
    "wish_cafe": _("informal café or meeting place"),
    "wish_seniors": _("activities for older people"),
}
RESOURCES = {
    "budget_dkk": _("budget"),
    "coordinator_hours": _("coordinator hours"),
    "driften_hours": _("caretaker hours"),
    "facility_hours": _("free common-house hours"),
    "reach": _("severely lonely residents left to reach"),
    "max_scale": _("largest scale in the catalogue"),
}
RESOURCE_UNITS = {
    "budget_dkk": "DKK",
    "coordinator_hours": _("hours"),
    "driften_hours": _("hours"),
    "facility_hours": _("hours"),
    "reach": _("people"),
}
INPUTS = {
    "severe_share": _("Share with severe loneliness (survey)"),
    "deadweight": _("Deadweight"),
    "attribution": _("Attribution"),
    "displacement": _("Displacement"),
    "drop_off": _("Drop-off per year"),
    "public_value": _("Public health costs per lonely person"),
    "societal_value": _("Societal value per person"),
    "share_aged_16_64": _("Share aged 16–64"),
}
INPUT_PREFIXES = {
    "smd": _("Effect size: %(name)s"),
    "participants": _("Participants: %(name)s"),
    "lonely_share": _("Share lonely among participants: %(name)s"),
}
FACILITY_SOURCES = {
    "input": _("entered for this plan"),
    "bookings": _("free hours in the booking system for the next 12 months"),
    "no_facility": _("the department has no common house registered"),
}
UNITS = {
    "SMD": _("SMD (standardised mean difference)"),
    "DKK/person/year": _("DKK per person a year"),
    "GBP/person/year": _("GBP per person a year"),
    "DKK/GBP": _("DKK per GBP"),
    "GBP/WELLBY": _("GBP per WELLBY"),
    "DKK/year": _("DKK a year"),
    "DKK/hour": _("DKK an hour"),
    "deaths/year": _("deaths a year"),
    "share": _("share"),
    "share/year": _("share a year"),
    "years": _("years"),
}
EVIDENCE_KINDS = {
    "survey": _("the department's own survey (Fællesskabsmålingen)"),
    "example": _("EXAMPLE DATA, not the department's own survey"),
}


def input_label(name: str, names: dict[str, str], class_labels: dict[str, str]) -> str:
    if ":" in name:
        prefix, rest = name.split(":", 1)
        label = class_labels.get(rest, rest) if prefix == "smd" else names.get(rest, rest)
        return str(INPUT_PREFIXES[prefix]) % {"name": label}
    return str(INPUTS.get(name, name))


def unit_label(unit: str) -> str:
    """A parameter's unit in the active language (an unknown unit as written)."""
    return str(UNITS.get(unit, unit))


def shipped_text(text: str) -> str:
    """A shipped source or note (``shipped_text.SHIPPED_TEXTS``) in the active language; an
    organisation's own text as written."""
    return gettext(text) if text else ""


def local_lines(evidence: LocalEvidence | None) -> list[str]:
    """The network's local evidence of an activity type as sentences for the catalogue (the
    network's own wording, with n, interval and source); empty when none is shown."""
    from lokalsamfund.network.labels import local_evidence_lines

    return local_evidence_lines(evidence) if evidence is not None else []
