"""The yearly account of a house: page, CSV, XLSX and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lokalsamfund.core import permissions
from lokalsamfund.core.permissions import Perm

from .. import exports, selectors
from ..models import Facility
from ..reports import yearly_account

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _facility(request: HttpRequest, slug: str) -> Facility:
    facility = get_object_or_404(selectors.facilities_for(request.user), slug=slug)
    if not permissions.has_perm(request.user, Perm.VIEW_FACILITY_ACCOUNT, facility):
        raise Http404
    return facility


def _year(value: str | None) -> int:
    current = timezone.localdate().year
    try:
        year = int(value) if value else current
    except ValueError:
        return current
    return year if 2000 <= year <= current + 5 else current


@login_required
@require_GET
def account(request: HttpRequest, slug: str) -> HttpResponse:
    facility = _facility(request, slug)
    year = _year(request.GET.get("year"))
    context = {
        "facility": facility,
        "account": yearly_account(facility=facility, year=year),
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
    }
    return render(request, "bookings/account.html", context)


@login_required
@require_GET
def account_export(request: HttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    facility = _facility(request, slug)
    if fmt not in FORMATS:
        raise Http404
    data = yearly_account(facility=facility, year=_year(str(year)))
    body: str | bytes
    if fmt == "csv":
        body = exports.account_csv(data)
    elif fmt == "xlsx":
        body = exports.account_xlsx(data)
    else:
        body = exports.account_pdf(data)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{facility.slug}-{data.year}.{fmt}"'
    return response
