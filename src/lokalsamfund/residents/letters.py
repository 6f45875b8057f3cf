"""Activation letters: A4, Danish, one per tenancy, in the order of the list (department,
address) so that they can be delivered by hand. Each has the address, the one-time code, a
QR code and the address of the activation page. The QR code carries the code in the URL's
fragment (``/aktiver/#kode=ABCD-EFGH``), which browsers never send to a server, so the code
never reaches an access log; the page's own script fills it in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lokalsamfund.core import codes
from lokalsamfund.core.letters import pdf_from_template, qr_svg
from lokalsamfund.core.models import Organisation

from .models import Tenancy


def activation_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/aktiver/"


def activation_letters_pdf(
    *,
    organisation: Organisation,
    issued: Sequence[tuple[Tenancy, str]],
    base_url: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One letter per tenancy; ``progress(n)`` hears every 100 letters laid out (a background
    job shows it)."""
    page_url = activation_url(base_url)
    ordered = sorted(issued, key=lambda pair: (pair[0].department.code, pair[0].address))
    pages = []
    for tenancy, code in ordered:
        pages.append(
            {
                "tenancy": tenancy,
                "code": codes.formatted(code),
                "qr": qr_svg(f"{page_url}#kode={codes.formatted(code)}"),
            }
        )
        if progress is not None and len(pages) % 100 == 0:
            progress(len(pages))
    return pdf_from_template(
        "residents/letters.html",
        {"organisation": organisation, "pages": pages, "page_url": page_url},
        base_url=base_url,
    )
