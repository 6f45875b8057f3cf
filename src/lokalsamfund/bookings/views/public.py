"""Houses: the list, the public availability page, the rules and the public iCal feed."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from lokalsamfund.core import permissions
from lokalsamfund.core.permissions import Perm

from .. import ical, selectors
from ..choices import BookerCategory, UseType
from ..models import Facility
from ..policy import CATEGORIES, REVIEW_NOTICE, USE_TYPES
from ..pricing import cost_recovery_rate


def _monday(value: str | None) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def facility_list(request: HttpRequest) -> HttpResponse:
    """Logged in: the houses of one's organisations. Anonymous: the public list, the houses
    that neighbours and associations may book (see ``selectors.public_facilities``)."""
    if not request.user.is_authenticated:
        return render(
            request, "bookings/facility_public_list.html", {"houses": selectors.public_facilities()}
        )
    houses = []
    for facility in selectors.facilities_for(request.user).order_by("name"):
        houses.append(
            {
                "facility": facility,
                "can_book": bool(selectors.categories_for(request.user, facility)),
                "can_see_account": permissions.has_perm(
                    request.user, Perm.VIEW_FACILITY_ACCOUNT, facility
                ),
            }
        )
    return render(request, "bookings/facility_list.html", {"houses": houses})


@require_GET
def facility_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public availability: busy or free, never who or what."""
    facility = get_object_or_404(Facility, slug=slug)
    monday = _monday(request.GET.get("week"))
    user = request.user
    may_book = user.is_authenticated and bool(selectors.categories_for(user, facility))
    context = {
        "facility": facility,
        "rooms": facility.rooms.all(),
        "days": selectors.week_overview(facility=facility, first_day=monday),
        "monday": monday,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "may_book": may_book,
        "can_see_account": permissions.has_perm(user, Perm.VIEW_FACILITY_ACCOUNT, facility),
        "handles": permissions.has_perm(user, Perm.APPROVE_BOOKINGS, facility)
        or permissions.has_perm(user, Perm.BOOK_ON_BEHALF, facility),
        "webcal_url": webcal(request, reverse("bookings:feed", args=[facility.slug])),
    }
    return render(request, "bookings/facility_detail.html", context)


def webcal(request: HttpRequest, path: str) -> str:
    """The ``webcal://`` address of a feed: calendar apps subscribe to it with one tap."""
    url = request.build_absolute_uri(path)
    return "webcal://" + url.split("://", 1)[1]


@require_GET
def facility_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The policy profile with the legal source of each rule, prices and house rules."""
    facility = get_object_or_404(Facility, slug=slug)
    policy = selectors.policy_for(facility)
    year = timezone.localdate().year
    costs = selectors.costs_for(facility, year)
    rate = cost_recovery_rate(costs.as_annual_costs()) if costs else None
    table = [
        {
            "category": BookerCategory(c).label,
            "cells": [{"use": UseType(u).label, "rule": policy.rule(c, u)} for u in USE_TYPES],
            "terms": policy.terms_for(c),
        }
        for c in CATEGORIES
    ]
    context = {
        "facility": facility,
        "policy": policy,
        "review_notice": REVIEW_NOTICE,
        "use_types": [UseType(u).label for u in USE_TYPES],
        "table": table,
        "costs": costs,
        "rate": rate,
        "slots": facility.fixed_slots.all(),
    }
    return render(request, "bookings/facility_rules.html", context)


@require_GET
def facility_feed(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    response = HttpResponse(ical.public_feed(facility), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{facility.slug}.ics"'
    return response
