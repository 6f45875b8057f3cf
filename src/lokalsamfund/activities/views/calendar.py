"""Pages of the calendar "Det sker" (per organisation and department, list and week) and of
one activity; the posters (PDF) for the stairwell are in ``posters``, the organiser's pages in
``organiser``, the coordinators' queue of proposals in ``proposals``.

Thin: reads through ``selectors``; a domain error becomes a message on the page.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.templatetags.formatting import money

from .. import permissions as rules
from .. import selectors
from .. import selectors_signups as signup_selectors
from ..models import Activity, Occurrence, TargetGroup
from ..services import activities as services
from .posters import month_poster, poster

LIST_DAYS = 28
SIGNUP_PARTIAL = "activities/_signup.html"


# --- helpers (the organiser's and proposals' pages use them too) ---------------------------


def _type_names(organisation: Organisation | None = None) -> dict[str, str]:
    from lokalsamfund.decisions.catalogue import catalogue_for, ensure_shipped
    from lokalsamfund.decisions.models import ActivityType

    english = (get_language() or "da").startswith("en")
    if organisation is not None:
        rows = catalogue_for(organisation)
    else:
        ensure_shipped()
        rows = list(ActivityType.objects.filter(organisation=None, is_active=True))
    return {a.slug: (a.name_en if english else a.name_da) for a in rows}


def _filters(request: HttpRequest) -> selectors.CalendarFilter:
    day = request.GET.get("day", "")
    target = request.GET.get("for", "")
    return selectors.CalendarFilter(
        activity_type=request.GET.get("type", "")[:60],
        weekday=int(day) if day.isdigit() and 1 <= int(day) <= 7 else None,
        target_group=target if target in TargetGroup.values else "",
        accessible=request.GET.get("accessible") == "1",
    )


def _monday(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _calendar(
    request: HttpRequest, *, organisation: Organisation | None, department: Department | None
) -> HttpResponse:
    view = "week" if request.GET.get("view") == "week" else "list"
    filters = _filters(request)
    if view == "week":
        first = _monday(request)
        start, end = _aware(first), _aware(first + timedelta(days=7))
    else:
        first = timezone.localdate()
        start, end = timezone.now(), _aware(first + timedelta(days=LIST_DAYS))
    occurrences = selectors.calendar_occurrences(
        request.user,
        start=start,
        end=end,
        organisation=organisation,
        department=department,
        filters=filters,
    )
    scope = organisation or (department.organisation if department else None)
    names = _type_names(scope)
    days: dict[date, list[Occurrence]] = {}
    if view == "week":
        days = {first + timedelta(days=n): [] for n in range(7)}
    # What is the same for every date of an activity is worked out once per activity.
    # Each date's time and place line is written here once, not by template tags per row.
    lines: dict[int, tuple[str, str, str]] = {}
    detail_url = reverse("activities:detail", kwargs={"pk": 0}).replace("/0/", "/%d/")
    lang = formatting.language(get_language())
    zone = timezone.get_current_timezone()
    for occurrence in occurrences:
        activity = occurrence.activity
        if activity.pk not in lines:
            facts = [names.get(activity.activity_type, activity.activity_type)]
            if activity.step_free:
                facts.append(_("step-free access"))
            facts.append(money(activity.price) if activity.price else _("free"))
            place = activity.facility.name if activity.facility else activity.place
            lines[activity.pk] = (detail_url % activity.pk, " · ".join(facts), place)
        url, facts_line, place = lines[activity.pk]
        starts = occurrence.starts_at.astimezone(zone)
        when = formatting.time_span(starts, occurrence.ends_at.astimezone(zone), lang)
        occurrence.url, occurrence.facts = url, facts_line  # type: ignore[attr-defined]
        occurrence.when = f"{when} · {place}" if place else when  # type: ignore[attr-defined]
        days.setdefault(starts.date(), []).append(occurrence)
    query = request.GET.copy()
    query.pop("week", None)
    # The list offers "Tilmeld" at once (menu, Det sker, sign up: three taps on a phone).
    signup_states = (
        signup_selectors.signup_states(
            occurrences=[
                o for o in occurrences if o.activity.signup_required and o.status == "scheduled"
            ],
            user=request.user,
            listed=True,
        )
        if request.user.is_authenticated
        else {}
    )
    for occurrence in occurrences:
        occurrence.signup = signup_states.get(occurrence.pk)  # type: ignore[attr-defined]
    context = {
        "here": request.get_full_path(),
        "organisation": organisation,
        "department": department,
        "view": view,
        "days": sorted(days.items()),
        "count": len(occurrences),
        "filters": filters,
        "types": sorted(names.items(), key=lambda t: t[1]),
        "target_groups": TargetGroup.choices,
        "weekdays": [(n, _weekday_name(n)) for n in range(1, 8)],
        "week": first,
        "prev_week": (first - timedelta(days=7)).isoformat(),
        "next_week": (first + timedelta(days=7)).isoformat(),
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    if department is not None:
        month = timezone.localdate()
        context["month_poster_url"] = reverse(
            "activities:month_poster",
            kwargs={"department_id": department.pk, "year": month.year, "month": month.month},
        )
    return render(request, "activities/calendar.html", context)


def _weekday_name(n: int) -> str:
    return (
        formatting.long_date(date(2024, 1, n), formatting.language(get_language()))
        .split()[0]
        .rstrip(",")
    )


def calendar(request: HttpRequest) -> HttpResponse:
    """Det sker: everything the visitor may see, or one organisation's (``?organisation=``)."""
    slug = request.GET.get("organisation", "")
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    return _calendar(request, organisation=organisation, department=None)


def department_calendar(request: HttpRequest, department_id: int) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.select_related("organisation"), pk=department_id
    )
    return _calendar(request, organisation=None, department=department)


def _visible(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activity_for(request.user, pk)
    if activity is None:
        raise Http404
    return activity


def _managed(request: HttpRequest, pk: int) -> Activity:
    activity = _visible(request, pk)
    if not rules.may_manage(request.user, activity):
        raise PermissionDenied
    return activity


def _signup_partial() -> str | None:
    """The sign-up box of the sign-up area, once that template exists."""
    try:
        select_template([SIGNUP_PARTIAL])
    except TemplateDoesNotExist:
        return None
    return SIGNUP_PARTIAL


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible(request, pk)
    now = timezone.now()
    user = request.user
    occurrences = selectors.next_occurrences(activity, now=now)
    signup_partial = _signup_partial() if activity.signup_required else None
    may_manage = rules.may_manage(user, activity)
    title, description = selectors.localised(activity, get_language() or "da")
    context = {
        "activity": activity,
        "title": title,
        "description": description,
        "occurrences": occurrences,
        # Every box of the page at once: the queries do not grow with the dates shown.
        "signup_states": signup_selectors.signup_states(
            occurrences=[o for o in occurrences if o.status == "scheduled"], user=user, now=now
        )
        if signup_partial
        else {},
        "departments": list(activity.departments.all()),
        "type_name": _type_names(activity.organisation).get(
            activity.activity_type, activity.activity_type
        ),
        "may_manage": may_manage,
        "may_edit": user.is_authenticated and services.may_edit(user, activity),
        "signup_partial": signup_partial,
        "organisers": list(activity.organisers.all()) if may_manage else [],
    }
    return render(request, "activities/detail.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("aktiviteter/", calendar, name="calendar"),
    path(
        "aktiviteter/afdeling/<int:department_id>/", department_calendar, name="department_calendar"
    ),
    path(
        "aktiviteter/afdeling/<int:department_id>/plakat/<int:year>-<int:month>.pdf",
        month_poster,
        name="month_poster",
    ),
    path("aktiviteter/<int:pk>/", detail, name="detail"),
    path("aktiviteter/<int:pk>/plakat.pdf", poster, name="poster"),
]
