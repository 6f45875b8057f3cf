"""The one formatting helper: rounding at the boundaries, Danish and English forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from lokalsamfund.core import formatting as f

NBSP = "\u00a0"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.148, 0, f"15{NBSP}%"),  # A1's severe loneliness: rounded, not cut to 14
        (0.145, 0, f"15{NBSP}%"),  # x.5 rounds up
        (0.1449, 0, f"14{NBSP}%"),
        (0.14849, 1, f"14,8{NBSP}%"),
        (0.14850, 1, f"14,9{NBSP}%"),
        (0.9996, 0, f"> 99{NBSP}%"),  # 99.96 % is not everybody
        (0.9996, 1, f"> 99,9{NBSP}%"),
        (0.99949, 1, f"99,9{NBSP}%"),
        (0.0004, 0, f"< 1{NBSP}%"),  # 0.04 % is not nobody
        (0.0004, 1, f"< 0,1{NBSP}%"),
        (0.0, 0, f"0{NBSP}%"),
        (1.0, 0, f"100{NBSP}%"),
        (None, 0, "–"),
    ],
)
def test_share_rounds_half_up_and_never_claims_none_or_all(
    value: float | None, decimals: int, expected: str
) -> None:
    assert f.share(value, decimals, "da") == expected


def test_share_in_english() -> None:
    assert f.share(0.148, 1, "en") == "14.8%"
    assert f.share(0.0004, 0, "en-gb") == "< 1%"


@pytest.mark.parametrize(
    ("value", "decimals", "da", "en"),
    [
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (2.5, 0, "3", "3"),
        (-2.5, 0, "−3", "−3"),
        (0.125, 2, "0,13", "0.13"),
        (1.005, 2, "1,01", "1.01"),  # 1.005 as written, not 1.00499… in binary
        (999.5, 0, "1.000", "1,000"),
        (Decimal("1800"), 2, "1.800,00", "1,800.00"),
    ],
)
def test_number(value: float, decimals: int, da: str, en: str) -> None:
    assert f.number(value, decimals, "da") == da
    assert f.number(value, decimals, "en") == en


def test_money_danish_and_english() -> None:
    assert f.money(1800, "da") == f"1.800,00{NBSP}kr."
    assert f.money(Decimal("1800"), "en") == f"DKK{NBSP}1,800.00"
    assert f.money(1234567.4, "da", decimals=0, round_to=1000) == f"1.235.000{NBSP}kr."
    assert f.money(1499.99, "da", decimals=0, round_to=1000) == f"1.000{NBSP}kr."
    assert f.money(1500, "da", decimals=0, round_to=1000) == f"2.000{NBSP}kr."
    with pytest.raises(ValueError, match="power of ten"):
        f.money(1500, "da", round_to=250)


def test_intervals_share_one_unit() -> None:
    assert f.interval(0.121, 0.184, "share", "da") == f"12–18{NBSP}%"
    assert f.interval(0.121, 0.184, "share", "en") == "12–18%"
    assert f.interval(2.06, 2.64, "number", "da", 1) == "2,1–2,6"
    assert f.interval(1000.4, 2999.6, "money", "da", 0) == f"1.000–3.000{NBSP}kr."
    assert f.interval(1000, 3000, "money", "en", 0) == f"DKK{NBSP}1,000–3,000"
    assert f.interval(None, 3, "number", "da") == "–"


def test_dates_and_times() -> None:
    saturday = dt.date(2027, 1, 2)
    assert f.long_date(saturday, "da") == "lørdag 2. januar 2027"
    assert f.long_date(saturday, "en") == "Saturday 2 January 2027"
    evening = dt.datetime(2027, 1, 2, 17, 30, tzinfo=CPH)
    assert f.long_datetime(evening, "da") == "lørdag 2. januar 2027 kl. 17.30"
    assert f.long_datetime(evening, "en") == "Saturday 2 January 2027 at 17:30"
    overnight = f.time_span(evening, dt.datetime(2027, 1, 3, 2, 0, tzinfo=CPH), "da")
    assert overnight == "lørdag 2. januar 2027 kl. 17.30 – søndag 3. januar 2027 kl. 02.00"
    assert f.time_span(evening, dt.datetime(2027, 1, 2, 22, 0, tzinfo=CPH), "da").endswith(
        "17.30–22.00"
    )


def test_template_filters_follow_the_page_language() -> None:
    template = Template(
        "{% load formatting %}{{ p|share:1 }}|{{ m|money }}|{% interval lo hi 'share' %}|"
        "{{ d|long_date }}"
    )
    context = Context({"p": 0.148, "m": 1800, "lo": 0.1, "hi": 0.2, "d": dt.date(2027, 1, 2)})
    with translation.override("da"):
        assert template.render(context) == (
            f"14,8{NBSP}%|1.800,00{NBSP}kr.|10–20{NBSP}%|lørdag 2. januar 2027"
        )
    with translation.override("en"):
        assert template.render(context) == (
            f"14.8%|DKK{NBSP}1,800.00|10–20%|Saturday 2 January 2027"
        )
