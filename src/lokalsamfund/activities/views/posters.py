"""The calendar's posters for the stairwell (PDF, WeasyPrint): one activity with its next
dates, or a department's month, each with a QR code (segno, made here) to the page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from lokalsamfund.core.models import Department

from .. import selectors


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _visible(request: HttpRequest, pk: int) -> Any:
    activity = selectors.activity_for(request.user, pk)
    if activity is None:
        raise Http404
    return activity


def _type_name(activity: Any) -> str:
    from lokalsamfund.decisions.catalogue import catalogue_for

    english = (get_language() or "da").startswith("en")
    for row in catalogue_for(activity.organisation):
        if row.slug == activity.activity_type:
            return str(row.name_en if english else row.name_da)
    return ""


def _pdf(request: HttpRequest, template: str, context: dict[str, Any], name: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """A poster for the stairwell: the activity, its next dates and a QR code to its page."""
    from lokalsamfund.core.letters import qr_svg

    activity = _visible(request, pk)
    url = request.build_absolute_uri(reverse("activities:detail", kwargs={"pk": activity.pk}))
    context = {
        "activity": activity,
        "occurrences": [
            o
            for o in selectors.next_occurrences(activity, now=timezone.now(), limit=8)
            if o.status == "scheduled"
        ],
        "type_name": _type_name(activity),
        "qr": qr_svg(url),
        "url": url,
    }
    return _pdf(request, "activities/poster.html", context, f"aktivitet-{activity.pk}.pdf")


def month_poster(request: HttpRequest, department_id: int, year: int, month: int) -> HttpResponse:
    """The month's activities of a department on one sheet, with a QR code to its calendar."""
    from lokalsamfund.core.letters import qr_svg

    department = get_object_or_404(
        Department.objects.select_related("organisation"), pk=department_id
    )
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    first = date(year, month, 1)
    after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    occurrences = [
        o
        for o in selectors.calendar_occurrences(
            request.user, start=_aware(first), end=_aware(after), department=department
        )
        if o.status == "scheduled"
    ]
    url = request.build_absolute_uri(
        reverse("activities:department_calendar", kwargs={"department_id": department.pk})
    )
    context = {
        "department": department,
        "month": first,
        "occurrences": occurrences,
        "qr": qr_svg(url),
        "url": url,
    }
    return _pdf(
        request,
        "activities/month_poster.html",
        context,
        f"det-sker-{department.code}-{year}-{month:02d}.pdf",
    )
