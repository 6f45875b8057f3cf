"""Server-side SVG charts with a text alternative (title and description); every chart is
shown next to a data table. Presentation attributes only (no style attributes: CSP).

Labels are wrapped onto as many lines as they need, never cut, so that two inputs never read alike;
the value axis has ticks with values written by the caller (``core.formatting``). At phone
width the page shows the chart's description instead of the chart (report.css), next to the
same data table."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
WIDTH = 640
LABEL_W = 250
LABEL_GAP = 8
FONT = 12
LINE_H = 14
ROW_H = 26
PAD = 10
AXIS_H = 40  # ticks, tick values and the unit under the rows
CHAR_W = 0.62 * FONT  # a generous average width (DejaVu Sans), so wrapped lines fit
INK = "#1b1f1d"
BRAND = "#1d5c4a"
ACCENT = "#8a3b12"
LINE = "#c5cec9"

Format = Callable[[float], str]


def _scale(lo: float, hi: float) -> tuple[float, float]:
    if hi <= lo:
        hi = lo + 1
    return lo, hi


def _x(value: float, lo: float, hi: float) -> float:
    return LABEL_W + (value - lo) / (hi - lo) * (WIDTH - LABEL_W - 2 * PAD)


def ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round values (1, 2 or 5 × 10^k apart) between ``lo`` and ``hi``: at most ``most``."""
    span = max(hi - lo, 1e-9)
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step) * step
    values: list[float] = []
    value = first
    while value <= hi + step * 1e-9 and len(values) <= most:
        values.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return values


def wrap(text: str, width: float = LABEL_W - LABEL_GAP - PAD) -> list[str]:
    """``text`` in lines that fit ``width`` pixels (words are never cut unless a single word
    is wider than a line); the row grows with the number of lines."""
    per_line = max(8, int(width // CHAR_W))
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > per_line:  # a very long word: split it
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _frame(title: str, desc: str, height: float, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="{WIDTH}" height="{height:.0f}" role="img" '
        f'aria-labelledby="chart-title-{n} chart-desc-{n}">'
        f'<title id="chart-title-{n}">{escape(title)}</title>'
        f'<desc id="chart-desc-{n}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
        f'<p class="chart-text">{escape(desc)}</p>'
    )


def _rows(labels: Sequence[str]) -> list[tuple[float, list[str]]]:
    """Each row's middle y and its wrapped label; rows grow with their label's lines."""
    rows = []
    y = PAD
    for label in labels:
        lines = wrap(label)
        height = max(ROW_H, len(lines) * LINE_H + 8)
        rows.append((y + height / 2, lines))
        y += height
    return rows


def _label(y: float, lines: list[str]) -> str:
    top = y - (len(lines) - 1) * LINE_H / 2 + 4
    spans = "".join(
        f'<tspan x="{LABEL_W - LABEL_GAP}" y="{top + i * LINE_H:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end" font-size="{FONT}" fill="{INK}">{spans}</text>'


def _axis(lo: float, hi: float, top: float, bottom: float, fmt: Format, unit: str) -> list[str]:
    """The value axis under the rows: a line, ticks with their values, and the unit."""
    parts = [
        f'<line x1="{LABEL_W}" y1="{bottom:.1f}" x2="{WIDTH - PAD}" y2="{bottom:.1f}" '
        f'stroke="{INK}"/>'
    ]
    for value in ticks(lo, hi):
        x = _x(value, lo, hi)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" '
            f'stroke="{LINE}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{escape(fmt(value))}</text>'
        )
    parts.append(
        f'<text x="{WIDTH - PAD}" y="{bottom + 32:.1f}" text-anchor="end" font-size="11" '
        f'fill="{INK}">{escape(unit)}</text>'
    )
    return parts


def interval_chart(
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float, float]],
    *,
    unit: str = "",
    reference: tuple[str, float] | None = None,
    fmt: Format = lambda v: f"{v:g}",
) -> SafeString:
    """Horizontal intervals: a bar from low (P5) to high (P95) and a dot at the middle (P50)."""
    lo = min([0.0, *(r[1] for r in rows)])
    hi = max([1e-9, *(r[3] for r in rows)] + ([reference[1]] if reference else []))
    lo, hi = _scale(lo, hi * 1.05)
    placed = _rows([r[0] for r in rows])
    bottom = PAD + sum(max(ROW_H, len(lines) * LINE_H + 8) for _, lines in placed)
    reference_h = 16 if reference is not None else 0
    height = bottom + AXIS_H + reference_h
    body = [f'<line x1="{LABEL_W}" y1="{PAD}" x2="{LABEL_W}" y2="{bottom}" stroke="{LINE}"/>']
    body += _axis(lo, hi, PAD, bottom, fmt, unit)
    for (y, lines), (_, low, mid, high) in zip(placed, rows, strict=True):
        body.append(_label(y, lines))
        x1, x2, xm = _x(low, lo, hi), _x(high, lo, hi), _x(mid, lo, hi)
        body.append(
            f'<rect x="{x1:.1f}" y="{y - 5:.1f}" width="{max(x2 - x1, 1):.1f}" height="10" '
            f'fill="{BRAND}" fill-opacity="0.35" stroke="{BRAND}"/>'
        )
        body.append(f'<circle cx="{xm:.1f}" cy="{y:.1f}" r="5" fill="{BRAND}"/>')
    if reference is not None:
        xr = _x(reference[1], lo, hi)
        body.append(
            f'<line x1="{xr:.1f}" y1="{PAD}" x2="{xr:.1f}" y2="{bottom}" stroke="{ACCENT}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{LABEL_W}" y="{height - 6:.1f}" font-size="11" fill="{ACCENT}">'
            f"- - {escape(reference[0])}: {escape(fmt(reference[1]))}</text>"
        )
    return _frame(title, desc, height, body)


def tornado_chart(
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float]],
    baseline: float,
    *,
    unit: str = "",
    fmt: Format = lambda v: f"{v:g}",
) -> SafeString:
    """Bars from the result at an input's 5th percentile to the result at its 95th."""
    values = [baseline, *(v for r in rows for v in r[1:])]
    lo, hi = _scale(min(values) * 0.95, max(values) * 1.05)
    placed = _rows([r[0] for r in rows])
    bottom = PAD + sum(max(ROW_H, len(lines) * LINE_H + 8) for _, lines in placed)
    height = bottom + AXIS_H
    xb = _x(baseline, lo, hi)
    body = _axis(lo, hi, PAD, bottom, fmt, unit)
    for (y, lines), (_, low_result, high_result) in zip(placed, rows, strict=True):
        body.append(_label(y, lines))
        a, b = sorted((_x(low_result, lo, hi), _x(high_result, lo, hi)))
        body.append(
            f'<rect x="{a:.1f}" y="{y - 7:.1f}" width="{max(b - a, 1):.1f}" height="14" '
            f'fill="{BRAND}" fill-opacity="0.6"/>'
        )
    body.append(
        f'<line x1="{xb:.1f}" y1="{PAD}" x2="{xb:.1f}" y2="{bottom}" stroke="{INK}" '
        f'stroke-width="2"/>'
    )
    return _frame(title, desc, height, body)
