"""Server-side SVG charts with a text alternative (title and description); every chart is
shown next to a data table. Presentation attributes only (no style attributes: CSP)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
WIDTH = 640
LABEL_W = 230
ROW_H = 26
PAD = 10
INK = "#1b1f1d"
BRAND = "#1d5c4a"
ACCENT = "#8a3b12"
LINE = "#c5cec9"


def _scale(lo: float, hi: float) -> tuple[float, float]:
    if hi <= lo:
        hi = lo + 1
    return lo, hi


def _x(value: float, lo: float, hi: float) -> float:
    return LABEL_W + (value - lo) / (hi - lo) * (WIDTH - LABEL_W - 2 * PAD)


def _frame(title: str, desc: str, height: int, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="chart-title-{n} chart-desc-{n}">'
        f'<title id="chart-title-{n}">{escape(title)}</title>'
        f'<desc id="chart-desc-{n}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _label(y: float, text: str) -> str:
    short = text if len(text) <= 34 else text[:33] + "…"
    return (
        f'<text x="{LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
        f'fill="{INK}">{escape(short)}</text>'
    )


def interval_chart(
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float, float]],
    *,
    unit: str = "",
    reference: tuple[str, float] | None = None,
) -> SafeString:
    """Horizontal intervals: a bar from low (P5) to high (P95) and a dot at the middle (P50)."""
    lo = min([0.0, *(r[1] for r in rows)])
    hi = max([1e-9, *(r[3] for r in rows)] + ([reference[1]] if reference else []))
    lo, hi = _scale(lo, hi * 1.05)
    height = PAD * 2 + ROW_H * len(rows) + 24
    body = [f'<line x1="{LABEL_W}" y1="{PAD}" x2="{LABEL_W}" y2="{height - 24}" stroke="{LINE}"/>']
    for i, (label, low, mid, high) in enumerate(rows):
        y = PAD + ROW_H * i + ROW_H / 2
        body.append(_label(y, label))
        x1, x2, xm = _x(low, lo, hi), _x(high, lo, hi), _x(mid, lo, hi)
        body.append(
            f'<rect x="{x1:.1f}" y="{y - 5:.1f}" width="{max(x2 - x1, 1):.1f}" height="10" '
            f'fill="{BRAND}" fill-opacity="0.35" stroke="{BRAND}"/>'
        )
        body.append(f'<circle cx="{xm:.1f}" cy="{y:.1f}" r="5" fill="{BRAND}"/>')
    if reference is not None:
        xr = _x(reference[1], lo, hi)
        body.append(
            f'<line x1="{xr:.1f}" y1="{PAD}" x2="{xr:.1f}" y2="{height - 24}" stroke="{ACCENT}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{xr:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" '
            f'fill="{ACCENT}">{escape(reference[0])}</text>'
        )
    body.append(
        f'<text x="{WIDTH - PAD}" y="{height - 8}" text-anchor="end" font-size="11" '
        f'fill="{INK}">{escape(unit)}</text>'
    )
    return _frame(title, desc, height, body)


def tornado_chart(
    title: str, desc: str, rows: Sequence[tuple[str, float, float]], baseline: float
) -> SafeString:
    """Bars from the result at an input's 5th percentile to the result at its 95th."""
    values = [baseline, *(v for r in rows for v in r[1:])]
    lo, hi = _scale(min(values) * 0.95, max(values) * 1.05)
    height = PAD * 2 + ROW_H * len(rows) + 24
    xb = _x(baseline, lo, hi)
    body = []
    for i, (label, low_result, high_result) in enumerate(rows):
        y = PAD + ROW_H * i + ROW_H / 2
        body.append(_label(y, label))
        a, b = sorted((_x(low_result, lo, hi), _x(high_result, lo, hi)))
        body.append(
            f'<rect x="{a:.1f}" y="{y - 7:.1f}" width="{max(b - a, 1):.1f}" height="14" '
            f'fill="{BRAND}" fill-opacity="0.6"/>'
        )
    body.append(
        f'<line x1="{xb:.1f}" y1="{PAD}" x2="{xb:.1f}" y2="{height - 24}" stroke="{INK}" '
        f'stroke-width="2"/>'
    )
    return _frame(title, desc, height, body)
