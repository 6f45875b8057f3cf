"""One way to write a figure: shares, means, counts, money, intervals and dates, in Danish or
English. Pages (through the ``formatting`` template filters), PDFs, charts, e-mails and exports
all call these functions, so the same figure reads the same everywhere.

Pure Python (no Django import): the survey analysis, the charts and the decision model's
reports can use it without a request, and it is tested alone.

Rules (docs/formatting.md):

- Figures are rounded half away from zero on their decimal value as written (14.85 → 14.9,
  0.125 → 0.13), never truncated, and never through binary floating point on the way.
- A share that is not exactly 0 is never written "0 %", and one that is not exactly 1 never
  "100 %": below the smallest step it reads "< 1 %" (or "< 0,1 %"), above the largest
  "> 99 %". Boards read "0 %" as "nobody" and "100 %" as "everybody".
- Danish: "1.800,00 kr.", "14,8 %", "lørdag 2. januar 2027", "kl. 17.30".
  English: "DKK 1,800.00", "14.8%", "Saturday 2 January 2027", "17:30".
- Intervals use an en dash between their ends: "12–18 %".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DANISH = "da"
ENGLISH = "en"

_MONTHS = {
    DANISH: [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    ENGLISH: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_WEEKDAYS = {
    DANISH: ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    ENGLISH: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_SEPARATORS = {DANISH: (".", ","), ENGLISH: (",", ".")}  # (thousands, decimal)
EN_DASH = "–"
MINUS = "−"


def language(code: str | None) -> str:
    """``da`` for any Danish language code (the default), ``en`` for any English one."""
    return ENGLISH if (code or "").lower().startswith("en") else DANISH


def to_decimal(value: float | int | Decimal | str) -> Decimal:
    """The decimal value a person reads in ``value``: a float by its shortest repr (14.85, not
    14.8499999…), so that rounding half up behaves as on paper."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error


def rounded(value: float | int | Decimal | str, decimals: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``decimals`` places (negative: to tens,
    hundreds, thousands …)."""
    exponent = Decimal(1).scaleb(-decimals)
    number = to_decimal(value)
    if decimals >= 0:
        return number.quantize(exponent, rounding=ROUND_HALF_UP)
    return (number / exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP) * exponent


def number(
    value: float | int | Decimal | str | None,
    decimals: int = 0,
    lang: str = DANISH,
    *,
    grouping: bool = True,
    round_to: int | None = None,
) -> str:
    """``1.234,5`` (da) or ``1,234.5`` (en); ``round_to=1000`` writes round thousands. ``None``
    (no figure) is written as an en dash."""
    if value is None:
        return EN_DASH
    lang = language(lang)
    if round_to:
        places = len(str(round_to)) - 1
        if round_to != 10**places:
            raise ValueError(f"round_to must be a power of ten, not {round_to}")
        value, decimals = rounded(value, -places), 0
    amount = rounded(value, max(decimals, 0))
    sign = MINUS if amount < 0 else ""
    digits = f"{abs(amount):.{max(decimals, 0)}f}"
    whole, _, fraction = digits.partition(".")
    thousands, point = _SEPARATORS[lang]
    if grouping and len(whole) > 3:
        groups: list[str] = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = thousands.join(groups)
    return sign + whole + (point + fraction if fraction else "")


def share(value: float | Decimal | None, decimals: int = 0, lang: str = DANISH) -> str:
    """A proportion (0–1) as a percentage: ``14,8 %`` (da) or ``14.8%`` (en). Never "0 %" for
    a share above 0 or "100 %" for one below 1 (see the module's rules)."""
    if value is None:
        return EN_DASH
    lang = language(lang)
    percent = to_decimal(value) * 100
    step = Decimal(1).scaleb(-decimals)
    shown = rounded(percent, decimals)
    prefix = ""
    if percent > 0 and shown == 0:
        prefix, shown = "< ", step
    elif percent < 100 and shown == 100:
        prefix, shown = "> ", 100 - step
    return prefix + number(shown, decimals, lang) + _percent_sign(lang)


def _percent_sign(lang: str) -> str:
    return "\u00a0%" if lang == DANISH else "%"


def mean(value: float | Decimal | None, decimals: int = 1, lang: str = DANISH) -> str:
    """A mean or score, with a fixed number of decimals."""
    return number(value, decimals, lang, grouping=True)


def money(
    value: float | int | Decimal | None,
    lang: str = DANISH,
    *,
    decimals: int = 2,
    round_to: int | None = None,
) -> str:
    """``1.800,00 kr.`` (da) or ``DKK 1,800.00`` (en); ``round_to=1000`` for estimates."""
    if value is None:
        return EN_DASH
    lang = language(lang)
    text = number(value, decimals, lang, round_to=round_to)
    return f"{text}\u00a0kr." if lang == DANISH else f"DKK\u00a0{text}"


def interval(
    low: float | Decimal | None,
    high: float | Decimal | None,
    kind: str = "number",
    lang: str = DANISH,
    decimals: int = 0,
    *,
    round_to: int | None = None,
) -> str:
    """Both ends of an interval in one format: ``12–18 %``, ``1.000–3.000 kr.``, ``2,1–2,6``.
    ``kind`` is ``share``, ``money`` or ``number``."""
    if low is None or high is None:
        return EN_DASH
    lang = language(lang)
    if kind == "share":
        left, right = share(low, decimals, lang), share(high, decimals, lang)
        sign = _percent_sign(lang)
        return left.removesuffix(sign) + EN_DASH + right.removeprefix("> ").removeprefix("< ")
    if kind == "money":
        left = number(low, decimals, lang, round_to=round_to)
        right = money(high, lang, decimals=decimals, round_to=round_to)
        if lang == ENGLISH:
            return f"DKK\u00a0{left}{EN_DASH}{right.removeprefix('DKK' + chr(0xA0))}"
        return left + EN_DASH + right
    return (
        number(low, decimals, lang, round_to=round_to)
        + EN_DASH
        + number(high, decimals, lang, round_to=round_to)
    )


def long_date(value: dt.date, lang: str = DANISH, *, weekday: bool = True) -> str:
    """``lørdag 2. januar 2027`` (da) or ``Saturday 2 January 2027`` (en)."""
    lang = language(lang)
    day = f"{value.day}." if lang == DANISH else str(value.day)
    text = f"{day} {_MONTHS[lang][value.month - 1]} {value.year}"
    return f"{_WEEKDAYS[lang][value.weekday()]} {text}" if weekday else text


def clock(value: dt.time | dt.datetime, lang: str = DANISH) -> str:
    """``17.30`` (da, Dansk Sprognævn's form) or ``17:30`` (en)."""
    separator = "." if language(lang) == DANISH else ":"
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def long_datetime(value: dt.datetime, lang: str = DANISH) -> str:
    """``lørdag 2. januar 2027 kl. 17.30`` (da) or ``Saturday 2 January 2027 at 17:30`` (en).
    ``value`` is already in the reader's time zone."""
    joiner = " kl. " if language(lang) == DANISH else " at "
    return long_date(value.date(), lang) + joiner + clock(value, lang)


def time_span(start: dt.datetime, end: dt.datetime, lang: str = DANISH) -> str:
    """A booking's or activity's span in local time: ``lørdag 2. januar 2027 kl. 17.30–22.00``,
    or across midnight ``lørdag 2. januar 2027 kl. 20.00 – søndag 3. januar 2027 kl. 02.00``."""
    if start.date() == end.date():
        return long_datetime(start, lang) + EN_DASH + clock(end, lang)
    return f"{long_datetime(start, lang)} {EN_DASH} {long_datetime(end, lang)}"
