"""Booking, changing, cancelling; the booker's own list and feed; the approvers' list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.forms import errors_as_text
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import Perm

from .. import ical, selectors, services
from ..choices import BookingStatus
from ..forms import BookingEditForm, BookingForm, BudgetSentForm, RejectForm, ScopeForm
from ..join_requests import own_pending_join_requests
from ..models import Booking, CalendarFeed
from .public import webcal


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _visible_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)


PREFILL = ("date", "start_time", "end_time", "end_date", "use_type", "title")


def _prefill(request: HttpRequest) -> dict[str, object]:
    """The form filled in from the day grid's link (a free hour: date, times, room)."""
    initial: dict[str, object] = {k: request.GET[k][:200] for k in PREFILL if k in request.GET}
    if request.GET.getlist("rooms"):
        initial["rooms"] = [r[:200] for r in request.GET.getlist("rooms")[:50]]
    if request.GET.get("whole_house"):
        initial["whole_house"] = True
    return initial


@login_required
def book(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    facility = selectors.facility_for_booking(user, slug)
    options = selectors.categories_for(user, facility)
    staff = permissions.has_perm(user, Perm.BOOK_ON_BEHALF, facility)
    if not options:
        raise Http404
    agreements = selectors.letting_agreements_for(
        facility=facility, person=user, options=options, staff=staff
    )
    policy = selectors.policy_for(facility)
    form = BookingForm(
        request.POST or None,
        initial=_prefill(request) if request.method == "GET" else None,
        facility=facility,
        options=options,
        use_types=selectors.use_types_offered(policy=policy, options=options, on_behalf=staff),
        agreements=agreements,
        residents=selectors.residents_for_on_behalf(facility) if staff else None,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        try:
            choice = selectors.rooms_for_booking(
                facility=facility, names=data["rooms"], whole_house=bool(data["whole_house"])
            )
            on_behalf = data.get("on_behalf_of")
            common = {
                "facility": facility,
                "booker": user,
                "start": start,
                "end": end,
                "title": data["title"],
                "use_type": data["use_type"],
                # On behalf of a resident the resident's own category applies.
                "category": None if on_behalf else data["category"],
                "rooms": choice.requested,
                "whole_house": choice.whole_house,
                "on_behalf_of": on_behalf,
            }
            if data.get("repeat_until"):
                result = services.booking_series_create(
                    **common, until=data["repeat_until"], skip_conflicts=data["skip_conflicts"]
                )
                messages.success(
                    request,
                    _("%(n)d dates booked, %(skipped)d skipped because they were taken.")
                    % {"n": len(result.created), "skipped": len(result.skipped)},
                )
                for _when, reason in result.skipped:
                    messages.info(request, reason)
                return redirect("bookings:detail", pk=result.created[0].pk)
            booking = services.booking_create(
                **common,
                agreement=data.get("agreement"),
                charges_participants=data["charges_participants"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, _("Your booking is confirmed."))
            else:
                messages.success(
                    request, _("Your request is sent; you get an e-mail when it is decided.")
                )
            return redirect("bookings:detail", pk=booking.pk)
    elif request.method == "POST":
        status = 400
    prices = [
        {
            "option": o,
            "rules": [
                policy.rule(o.category, u)
                for u in ("community_activity", "private_event", "external_letting")
            ],
        }
        for o in options
    ]
    context = {"facility": facility, "form": form, "prices": prices, "staff": staff}
    return render(request, "bookings/book.html", context, status=status)


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    booking = _visible_booking(request, pk)
    facility = booking.facility
    can_approve = permissions.has_perm(user, Perm.APPROVE_BOOKINGS, facility)
    staff = can_approve or permissions.has_perm(user, Perm.BOOK_ON_BEHALF, facility)
    own = user.pk in (booking.booker_id, booking.created_by_id)
    deadline = selectors.cancellation_deadline(booking)
    context = {
        "deadline": deadline,
        "deadline_passed": booking.is_active and own and not staff and timezone.now() > deadline,
        "booking": booking,
        "facility": facility,
        "rooms": sorted(c.room.name for c in booking.claims.select_related("room")),
        "can_approve": can_approve and booking.status == BookingStatus.PENDING,
        "can_change": booking.is_active and (staff or (own and timezone.now() <= deadline)),
        "letting_problems": (
            services.letting_problem_messages(
                booking.agreement, timezone.localtime(booking.starts_at).date()
            )
            if booking.use_type == "external_letting"
            else []
        ),
        "scope_form": ScopeForm(),
        "reject_form": RejectForm(),
        "budget_form": BudgetSentForm(initial={"sent_on": booking.budget_sent_on}),
        "can_record_budget": booking.charges_participants and (own or staff),
    }
    return render(request, "bookings/booking_detail.html", context)


@login_required
@require_POST
def booking_budget_sent(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    booking = _visible_booking(request, pk)
    form = BudgetSentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form: %(errors)s") % {"errors": errors_as_text(form)})
        return redirect("bookings:detail", pk=pk)
    try:
        services.booking_record_budget_sent(
            booking=booking, actor=user, sent_on=form.cleaned_data["sent_on"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The budget is recorded as sent to the municipality."))
    return redirect("bookings:detail", pk=pk)


@login_required
def booking_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    booking = _visible_booking(request, pk)
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    initial = {
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "end_date": end.date() if end.date() != start.date() else None,
        "title": booking.title,
        "scope": "this",
    }
    form = BookingEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        new_start, new_end = form.times()
        try:
            services.booking_update(
                booking=booking,
                actor=user,
                start=new_start,
                end=new_end,
                title=form.cleaned_data["title"],
                scope=form.cleaned_data["scope"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("The booking is changed."))
            return redirect("bookings:detail", pk=booking.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request, "bookings/booking_edit.html", {"booking": booking, "form": form}, status=status
    )


def _action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    booking = _visible_booking(request, pk)
    form = RejectForm(request.POST) if action == "reject" else ScopeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form: %(errors)s") % {"errors": errors_as_text(form)})
        return redirect("bookings:detail", pk=pk)
    scope = form.cleaned_data["scope"]
    try:
        if action == "cancel":
            services.booking_cancel(booking=booking, actor=user, scope=scope)
            messages.success(request, _("The booking is cancelled."))
        elif action == "approve":
            services.booking_approve(booking=booking, actor=user, scope=scope)
            messages.success(request, _("The booking is approved."))
        else:
            services.booking_reject(
                booking=booking, actor=user, scope=scope, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The request is rejected."))
    except DomainError as exc:
        messages.error(request, exc.message)
    if action in ("approve", "reject") and request.POST.get("next") == "pending":
        return redirect("bookings:pending")
    return redirect("bookings:detail", pk=pk)


@login_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask for confirmation; POST with ``confirmed``: cancel (the service decides who may
    and until when)."""
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        return _action(request, pk, "cancel")
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    booking = _visible_booking(request, pk)
    context = {"booking": booking, "scope_form": ScopeForm()}
    return render(request, "bookings/booking_cancel.html", context)


@login_required
@require_POST
def booking_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "approve")


@login_required
@require_POST
def booking_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "reject")


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and request.POST.get("reset_feed"):
        services.calendar_feed_reset(user=user)
        messages.success(request, _("Your calendar link is renewed; the old one no longer works."))
        return redirect("bookings:mine")
    key = CalendarFeed.objects.filter(user=user).values_list("key", flat=True).first()
    if key is None:
        key = services.calendar_feed_key(user=user)
    feed_path = reverse("bookings:private_feed", args=[key])
    feed_url = request.build_absolute_uri(feed_path)
    context = {
        "webcal_url": webcal(request, feed_path),
        "bookings": selectors.upcoming_bookings_of(user)[:200],
        "feed_url": feed_url,
        "email_verified": user.email_verified,
        "pending_joins": list(own_pending_join_requests(user)),
    }
    return render(request, "bookings/my_bookings.html", context)


@login_required
@require_GET
def pending(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.has_any(user, Perm.APPROVE_BOOKINGS):
        raise Http404
    pending = list(selectors.pending_bookings_for(user)[:300])
    series: dict[int, list[Booking]] = {}
    items: list[dict[str, object]] = []
    for booking in pending:
        if booking.series_id is None:
            items.append({"booking": booking})
        elif booking.series_id not in series:
            series[booking.series_id] = [booking]
            items.append({"booking": booking, "series": series[booking.series_id]})
        else:
            series[booking.series_id].append(booking)
    context = {
        "pending": pending,
        "items": items,
        "renewals": selectors.agreements_due_for_renewal(user),
        "reject_form": RejectForm(),
    }
    return render(request, "bookings/pending.html", context)


@require_GET
def private_feed(request: HttpRequest, key: str) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), key=key)
    if not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        ical.private_feed(feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
