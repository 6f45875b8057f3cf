"""What every print-ready letter shares (survey answer codes, residents' activation codes):
the QR code as inline SVG and the A4 PDF rendered by WeasyPrint from a Danish template."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """A QR code of ``url`` as inline SVG (made here by segno; no request leaves the app)."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG


def pdf_from_template(template: str, context: dict[str, Any], *, base_url: str) -> bytes:
    """Render ``template`` in Danish (letters go to residents) and print it as a PDF."""
    from weasyprint import HTML

    with translation.override("da"):
        html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf
