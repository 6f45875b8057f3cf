"""The month view and the day grid (public: busy or free, never who or what). htmx swaps the
calendar in place; without JavaScript the links load the same pages."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import selectors
from ..grid import day_grid, month_weeks
from ..models import Facility

MAX_YEARS_AWAY = 5


def _month(value: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        day = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return day if abs(day.year - today.year) <= MAX_YEARS_AWAY else today.replace(day=1)


def _may_book(request: HttpRequest, facility: Facility) -> bool:
    user = request.user
    return user.is_authenticated and bool(selectors.categories_for(user, facility))


@require_GET
def facility_month(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    month = _month(request.GET.get("month"))
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "facility": facility,
        "month": month,
        "previous": previous,
        "next": following,
        "weeks": month_weeks(facility=facility, month=month),
        "today": timezone.localdate(),
    }
    template = "bookings/facility_month.html"
    if request.headers.get("HX-Request"):
        template = "bookings/_month.html"
    return render(request, template, context)


@require_GET
def facility_day(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if abs(when.year - timezone.localdate().year) > MAX_YEARS_AWAY:
        raise Http404
    context = {
        "facility": facility,
        "day": when,
        "previous": when - timedelta(days=1),
        "next": when + timedelta(days=1),
        "rooms": list(facility.rooms.all()),
        "hours": day_grid(facility=facility, day=when),
        "may_book": _may_book(request, facility),
    }
    template = "bookings/facility_day.html"
    if request.headers.get("HX-Request"):
        template = "bookings/_day.html"
    return render(request, template, context)
