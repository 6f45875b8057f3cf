"""Print-ready letters with one-time codes: A4, Danish, one home per page, shuffled.

Each page has the form's address, the code and a QR code (SVG, made here with segno) that
opens the form with the code filled in. The order is shuffled so that print order says
nothing about which home got which code; nothing records that either.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from django.db.models import Q

from lokalsamfund.core.letters import pdf_from_template, qr_svg
from lokalsamfund.core.models import Department

from . import codes
from .models import SurveyLanguage, SurveyRound, SurveySettings


def letters_pdf(
    *,
    survey_round: SurveyRound,
    department: Department,
    new_codes: Sequence[str],
    base_url: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One letter per code, in random order; ``progress(n)`` hears every 100 letters laid out
    (a background job shows it)."""
    shuffled = list(new_codes)
    secrets.SystemRandom().shuffle(shuffled)
    form_url = f"{base_url.rstrip('/')}/s/"
    pages = []
    for code in shuffled:
        direct = f"{form_url}#kode={codes.formatted(code)}"  # after #: never sent, never logged
        pages.append({"code": codes.formatted(code), "qr": qr_svg(direct)})
        if progress is not None and len(pages) % 100 == 0:
            progress(len(pages))
    return pdf_from_template(
        "surveys/letters.html",
        {
            "round": survey_round,
            "department": department,
            "organisation": survey_round.organisation,
            "pages": pages,
            "form_url": form_url,
            "contact": SurveySettings.objects.filter(
                organisation=survey_round.organisation
            ).first(),
            "languages": SurveyLanguage.objects.filter(
                Q(organisation=None) | Q(organisation=survey_round.organisation)
            ).exclude(code="da"),
        },
        base_url=base_url,
    )
