"""Template filters for the decision tool's figures, over ``core.formatting`` (one way to
write a figure): ``{% load plan_figures %}`` then ``{{ x|thousands }}`` (an estimated value in
round thousands, no unit: the column says DKK), ``{% thousands_interval low high %}`` and
``{{ change|points }}`` (a change in a share, in percentage points with one decimal). Counts
of people and SROI use ``formatting``'s ``num`` (``{{ x|num }}``, ``{{ x|num:1 }}``)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from lokalsamfund.core import formatting
from lokalsamfund.decisions import labels
from lokalsamfund.decisions.rendering import parameter_value

register = template.Library()

Number = float | int | Decimal | None


def _lang() -> str:
    return formatting.language(get_language())


@register.filter
def thousands(value: Number) -> str:
    return formatting.number(value, 0, _lang(), round_to=1000)


@register.simple_tag
def thousands_interval(low: Number, high: Number) -> str:
    return formatting.interval(low, high, "number", _lang(), round_to=1000)


@register.filter
def points(value: Number) -> str:
    """A change in a share (−0.034) in percentage points: ``−3,4``."""
    return formatting.number(None if value is None else value * 100, 1, _lang())


@register.filter
def parameter(value: float | None) -> str:
    """A value parameter as entered (amounts whole, small values up to three decimals)."""
    return parameter_value(value)


@register.filter
def unit_label(unit: str) -> str:
    return labels.unit_label(unit)


@register.filter
def shipped_text(text: str) -> str:
    return labels.shipped_text(text)
