"""Pages for the house's staff: the key-handover list (day or week; page, print view, PDF)
and a weekly series decided as one request."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.permissions import Perm

from .. import selectors, services
from ..approvals import series_dates
from ..forms import SeriesDecisionForm
from ..handover import handover_days
from ..models import BookingSeries, Facility


def staff_facility(request: HttpRequest, slug: str) -> Facility:
    """The house, if the user handles its bookings (approves or books on behalf); else 404."""
    facility = selectors.facility_for_booking(request.user, slug)
    user = request.user
    if not (
        permissions.has_perm(user, Perm.APPROVE_BOOKINGS, facility)
        or permissions.has_perm(user, Perm.BOOK_ON_BEHALF, facility)
    ):
        raise Http404
    return facility


def _day(value: str | None) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        return today
    return day if abs((day - today).days) <= 3660 else today


def _context(request: HttpRequest, facility: Facility) -> dict[str, object]:
    week = request.GET.get("span") == "week"
    first = _day(request.GET.get("day"))
    if week:
        first -= timedelta(days=first.weekday())
    days = 7 if week else 1
    step = timedelta(days=days)
    return {
        "facility": facility,
        "week": week,
        "span": "week" if week else "day",
        "first": first,
        "last": first + step - timedelta(days=1),
        "previous": first - step,
        "next": first + step,
        "days": handover_days(facility=facility, first_day=first, days=days),
    }


@login_required
@require_GET
def handover(request: HttpRequest, slug: str) -> HttpResponse:
    facility = staff_facility(request, slug)
    context = _context(request, facility)
    template = "bookings/handover.html"
    if request.GET.get("view") == "print":
        template = "bookings/handover_print.html"
    return render(request, template, context)


@login_required
@require_GET
def handover_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from weasyprint import HTML

    facility = staff_facility(request, slug)
    context = _context(request, facility)
    html = render_to_string("bookings/handover_print.html", context, request=request)
    response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type="application/pdf")
    first = context["first"]
    response["Content-Disposition"] = f'attachment; filename="{facility.slug}-noegler-{first}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def series_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A weekly series as one request: every date with its state; approve all, or some and
    decline the rest with a reason."""
    user = request.user
    series = get_object_or_404(BookingSeries.objects.select_related("facility"), pk=pk)
    if not permissions.has_perm(user, Perm.APPROVE_BOOKINGS, series.facility):
        raise Http404
    dates = series_dates(series)
    pending = [d.booking for d in dates if d.pending and d.booking is not None]
    form = SeriesDecisionForm(request.POST or None, pending=pending)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.booking_series_decide(
                series=series,
                actor=user,  # type: ignore[arg-type]
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("%(approved)d dates approved, %(rejected)d declined.")
                % {"approved": len(decision.approved), "rejected": len(decision.rejected)},
            )
            return redirect("bookings:pending")
    elif request.method == "POST":
        status = 400
    first = next((d.booking for d in dates if d.booking is not None), None)
    checked = {b.pk for b in pending}
    if form.is_bound:
        checked = {int(v) for v in request.POST.getlist("approve") if v.isdigit()}
    context = {
        "series": series,
        "dates": dates,
        "form": form,
        "first": first,
        "checked": checked,
    }
    return render(request, "bookings/series_decide.html", context, status=status)
