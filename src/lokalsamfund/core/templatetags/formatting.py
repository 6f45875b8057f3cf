"""Template filters over ``core.formatting`` in the page's language.

``{% load formatting %}`` then ``{{ x|share }}``, ``{{ x|share:1 }}``, ``{{ x|num:1 }}``,
``{{ x|money }}``, ``{{ x|money_thousands }}``, ``{{ x|mean }}``, ``{{ d|long_date }}``,
``{{ t|long_datetime }}``, ``{{ t|clock }}``, ``{% interval low high "share" 1 %}``,
``{% time_span start end %}``. Datetimes are shown in the current time zone (Europe/Copenhagen).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from lokalsamfund.core import formatting

register = template.Library()

Number = float | int | Decimal | None


def _lang() -> str:
    return formatting.language(get_language())


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def share(value: Number, decimals: int = 0) -> str:
    return formatting.share(value, int(decimals), _lang())


@register.filter
def num(value: Number, decimals: int = 0) -> str:
    return formatting.number(value, int(decimals), _lang())


@register.filter
def mean(value: Number, decimals: int = 1) -> str:
    return formatting.mean(value, int(decimals), _lang())


@register.filter
def money(value: Number, decimals: int = 2) -> str:
    return formatting.money(value, _lang(), decimals=int(decimals))


@register.filter
def money_thousands(value: Number) -> str:
    """An estimate in round thousands: ``1.235.000 kr.``."""
    return formatting.money(value, _lang(), decimals=0, round_to=1000)


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return formatting.long_date(value, _lang())


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    return "" if value is None else formatting.long_datetime(_local(value), _lang())


@register.filter
def clock(value: dt.datetime | dt.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return formatting.clock(value, _lang())


@register.simple_tag
def interval(low: Number, high: Number, kind: str = "number", decimals: int = 0) -> str:
    return formatting.interval(low, high, kind, _lang(), int(decimals))


@register.simple_tag
def time_span(start: dt.datetime, end: dt.datetime) -> str:
    return formatting.time_span(_local(start), _local(end), _lang())
