"""Accessible SVG bar charts with 95 % intervals (served inline; no scripts, no styles
attributes, so the Content Security Policy stays ``'self'``). Every chart is shown next to a
table with the same numbers; the SVG has a title and a description for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from lokalsamfund.core import formatting

_ids = count(1)


@dataclass
class Bar:
    label: str
    value: float
    low: float | None = None
    high: float | None = None


def _fmt(value: float, percent: bool) -> str:
    """The bar's figure as the table next to it writes it (core/formatting.py)."""
    lang = formatting.language(get_language())
    return formatting.share(value, 0, lang) if percent else formatting.mean(value, 1, lang)


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    description: str,
    maximum: float = 1.0,
    percent: bool = True,
    reference: float | None = None,
    reference_label: str = "",
) -> SafeString:
    """Horizontal bars with interval whiskers and an optional reference line (benchmark)."""
    label_width, bar_width, row, top = 330, 300, 30, 10
    height = top * 2 + row * len(bars) + (20 if reference is not None else 0)
    width = label_width + bar_width + 70
    uid = next(_ids)
    scale = bar_width / maximum if maximum else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-{uid}-title chart-{uid}-desc" class="chart">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>',
        f'<line class="axis" x1="{label_width}" y1="{top - 4}" x2="{label_width}" '
        f'y2="{top + row * len(bars)}"/>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        label = bar.label if len(bar.label) <= 44 else bar.label[:43] + "…"
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        length = max(0.0, bar.value * scale)
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 6}" width="{length:.1f}" height="18"/>'
        )
        if bar.low is not None and bar.high is not None:
            x1, x2 = label_width + bar.low * scale, label_width + bar.high * scale
            mid = y + 15
            parts.append(
                f'<path class="whisker" d="M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {mid - 5}V{mid + 5}'
                f'M{x2:.1f} {mid - 5}V{mid + 5}"/>'
            )
        end = label_width + max(length, (bar.high or 0) * scale) + 6
        parts.append(
            f'<text class="chart-value" x="{end:.1f}" y="{y + 19}">'
            f"{escape(_fmt(bar.value, percent))}</text>"
        )
    if reference is not None:
        x = label_width + reference * scale
        bottom = top + row * len(bars)
        parts.append(
            f'<line class="bar-benchmark" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(reference_label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
