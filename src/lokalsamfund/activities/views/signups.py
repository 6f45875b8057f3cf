"""Pages of the activities domain: sign-up, the waitlist and the feeds.

The sign-up box (``activities/_signup.html``) works without JavaScript (forms that post and
redirect back) and with htmx (the box swaps itself). Links with a token (sign-up without an
account) show a page with one button: opening a link never changes anything by itself, since
mail scanners open links too.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalsamfund.bookings.models import CalendarFeed
from lokalsamfund.bookings.services import calendar_feed_key, calendar_feed_reset
from lokalsamfund.bookings.views.public import webcal
from lokalsamfund.core import formatting, ratelimit
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, User

from .. import ical
from .. import selectors_signups as selectors
from ..models import Occurrence, SignUp, SignUpStatus
from ..services import signups as services
from ..services.signup_mail import when_text


class OnBehalfForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    places = forms.IntegerField(
        label=gettext_lazy("Places"), min_value=1, max_value=services.MAX_PLACES, initial=1
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by login_required
    return user


def _when(occurrence: Occurrence) -> str:
    return when_text(occurrence, formatting.language(translation.get_language()))


def _occurrence(request: HttpRequest, occurrence_id: int) -> Occurrence:
    occurrence = selectors.visible_occurrence(user=request.user, occurrence_id=occurrence_id)
    if occurrence is None:
        raise Http404
    return occurrence


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _box(
    request: HttpRequest, occurrence: Occurrence, message: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "activities/_signup.html",
        {"occurrence": occurrence, "activity": occurrence.activity, "signup_message": message},
        status=status,
    )


def _back(request: HttpRequest, occurrence: Occurrence) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("activities:signup_box", occurrence.pk)


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return 0


@require_GET
def signup_box(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """One occurrence with its sign-up box (the target of links and redirects)."""
    occurrence = _occurrence(request, occurrence_id)
    if _htmx(request):
        return _box(request, occurrence)
    context = {
        "occurrence": occurrence,
        "activity": occurrence.activity,
        "when": _when(occurrence),
        "place": ical.place_text(occurrence.activity),
    }
    return render(request, "activities/signup_page.html", context)


def _public_signup_keys(request: HttpRequest) -> list[str]:
    """Without an account each sign-up sends an e-mail to the address given: counted per
    address and per client (``Purpose.PUBLIC_SIGNUP``). No keys for a user with an account."""
    if request.user.is_authenticated:
        return []
    email = request.POST.get("email", "").strip()
    client = ratelimit.client_address(request)
    values = {"email": email, "client": client} if email else {"client": client}
    return ratelimit.keys_for(ratelimit.Purpose.PUBLIC_SIGNUP, **values)


def _limited(request: HttpRequest, occurrence: Occurrence) -> HttpResponse:
    """429 with the limit's message, in the box (htmx) or on the occurrence's page."""
    message = ratelimit.locked_message(ratelimit.Purpose.PUBLIC_SIGNUP)
    if _htmx(request):
        return _box(request, occurrence, message, status=429)
    context = {
        "occurrence": occurrence,
        "activity": occurrence.activity,
        "when": _when(occurrence),
        "place": ical.place_text(occurrence.activity),
        "signup_message": message,
    }
    return render(request, "activities/signup_page.html", context, status=429)


@require_POST
def signup(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    occurrence = _occurrence(request, occurrence_id)
    keys = _public_signup_keys(request)
    if keys and ratelimit.is_locked(ratelimit.Purpose.PUBLIC_SIGNUP, keys):
        return _limited(request, occurrence)
    try:
        result = services.signup_create(
            occurrence=occurrence,
            actor=request.user,
            places=_int(request.POST.get("places")),
            name=request.POST.get("name", ""),
            email=request.POST.get("email", ""),
            language=translation.get_language() or "",
        )
    except DomainError as exc:
        if _htmx(request):
            return _box(request, occurrence, exc.message)
        messages.error(request, exc.message)
        return _back(request, occurrence)
    if keys:  # an e-mail went out
        ratelimit.record_failure(ratelimit.Purpose.PUBLIC_SIGNUP, keys)
    found = result.signup
    if found.status == SignUpStatus.CONFIRMED:
        text = _("You are signed up. We have sent you an e-mail with the time for your calendar.")
    elif found.status == SignUpStatus.WAITLISTED:
        text = _("You are number %(position)s on the waitlist.") % {
            "position": found.waitlist_position
        }
    else:
        text = _("Check your e-mail: open the link in it to confirm your sign-up.")
    if _htmx(request):
        return _box(request, occurrence, text)
    messages.success(request, text)
    return _back(request, occurrence)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """The participant's own cancellation: a confirmation first, then the POST."""
    occurrence = _occurrence(request, occurrence_id)
    own = services.signup_of(occurrence=occurrence, user=request.user)
    if own is None:
        if _htmx(request):
            return _box(request, occurrence, _("You are not signed up for this time."))
        messages.info(request, _("You are not signed up for this time."))
        return redirect("activities:signup_box", occurrence.pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.signup_cancel(signup=own, actor=_user(request))
        except DomainError as exc:
            text = exc.message
        else:
            text = _("Your sign-up is cancelled.")
        if _htmx(request):
            return _box(request, occurrence, text)
        messages.info(request, text)
        return redirect("activities:signup_box", occurrence.pk)
    context = {
        "occurrence": occurrence,
        "signup": own,
        "when": _when(occurrence),
        "action": reverse("activities:cancel", args=[occurrence.pk]),
        "back": reverse("activities:signup_box", args=[occurrence.pk]),
        "htmx": _htmx(request),
    }
    fragment = _htmx(request)
    template = "activities/_signup_cancel.html" if fragment else "activities/signup_cancel.html"
    return render(request, template, context)


def _link_error(request: HttpRequest, heading: str, error: str) -> HttpResponse:
    context = {"heading": heading, "error": error}
    response = render(request, "activities/signup_link.html", context, status=400)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _link_page(request: HttpRequest, token: str, *, kind: str) -> HttpResponse:
    """The page behind an e-mail link: what the sign-up is and one button (confirm/cancel)."""
    heading = _("Confirm your sign-up") if kind == "confirm" else _("Cancel your sign-up?")
    try:
        found = services.signup_for_token(token)
    except DomainError as exc:
        return _link_error(request, heading, exc.message)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            if kind == "confirm":
                found = services.signup_confirm(token=token).signup
                heading = (
                    _("You are signed up")
                    if found.status == SignUpStatus.CONFIRMED
                    else _("You are on the waitlist")
                )
            else:
                found = services.signup_cancel_by_token(token=token)
                heading = _("Your sign-up is cancelled")
        except DomainError as exc:
            return _link_error(request, heading, exc.message)
        action = ""
    elif kind == "confirm" and found.status != SignUpStatus.UNCONFIRMED:
        heading, action = _("You are signed up"), ""
    else:
        action = _("Yes, confirm my sign-up") if kind == "confirm" else _("Yes, cancel")
    context: dict[str, object] = {
        "heading": heading,
        "signup": found,
        "kind": kind,
        "action": action,
        "when": _when(found.occurrence),
        "place": ical.place_text(found.occurrence.activity),
    }
    response = render(request, "activities/signup_link.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, kind="confirm")


@require_http_methods(["GET", "POST"])
def signup_cancel_link(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, kind="cancel")


@login_required
@require_http_methods(["GET", "POST"])
def my_signups(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and request.POST.get("reset_feed"):
        calendar_feed_reset(user=user)
        messages.success(request, _("Your calendar link is renewed; the old one no longer works."))
        return redirect("activities:my_signups")
    key = CalendarFeed.objects.filter(user=user).values_list("key", flat=True).first()
    if key is None:
        key = calendar_feed_key(user=user)
    feed_path = reverse("activities:user_feed", args=[key])
    rows = [
        {
            "signup": s,
            "when": _when(s.occurrence),
            "place": ical.place_text(s.occurrence.activity),
        }
        for s in selectors.signups_of(user)[:200]
    ]
    context = {
        "rows": rows,
        "feed_url": request.build_absolute_uri(feed_path),
        "webcal_url": webcal(request, feed_path),
    }
    return render(request, "activities/my_signups.html", context)


def _staff_occurrence(request: HttpRequest, occurrence_id: int) -> Occurrence:
    occurrence = _occurrence(request, occurrence_id)
    if not selectors.may_see_names(request.user, occurrence):
        raise Http404
    return occurrence


@login_required
@require_http_methods(["GET", "POST"])
def signup_on_behalf(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """A coordinator, caretaker or organiser signs up a resident who phoned in."""
    occurrence = _staff_occurrence(request, occurrence_id)
    form = OnBehalfForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.signup_on_behalf(
                occurrence=occurrence,
                actor=_user(request),
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                places=form.cleaned_data["places"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            found = result.signup
            if found.status == SignUpStatus.CONFIRMED:
                text = _("%(name)s is signed up.") % {"name": found.name}
            else:
                text = _("%(name)s is number %(position)s on the waitlist.") % {
                    "name": found.name,
                    "position": found.waitlist_position,
                }
            messages.success(request, text)
            return redirect("activities:occurrence_signups", occurrence.pk)
    context = {"occurrence": occurrence, "form": form, "error": error, "when": _when(occurrence)}
    return render(request, "activities/signup_on_behalf.html", context)


@login_required
@require_GET
def occurrence_signups(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """The organiser's and staff's list: names until the occurrence has been held."""
    occurrence = _staff_occurrence(request, occurrence_id)
    listing = selectors.signup_list(occurrence=occurrence)

    def rows(signups: list[SignUp], waitlist: bool) -> list[dict[str, object]]:
        return [
            {
                "signup": s,
                "number": s.waitlist_position if waitlist else i,
                "name": selectors.participant_name(s),
                "contact": (s.user.email if s.user is not None else s.email) or s.phone,
            }
            for i, s in enumerate(signups, 1)
        ]

    context = {
        "occurrence": occurrence,
        "list": listing,
        "when": _when(occurrence),
        "groups": [
            {"title": _("Signed up"), "rows": rows(listing.confirmed, False)},
            {"title": _("Waitlist"), "rows": rows(listing.waitlisted, True)},
        ],
        "may_sign_up": services.check_open_quietly(occurrence),
    }
    return render(request, "activities/occurrence_signups.html", context)


@login_required
@require_POST
def signup_remove(request: HttpRequest, signup_id: int) -> HttpResponse:
    """An organiser or staff cancels someone's sign-up (from the list)."""
    signup = get_object_or_404(SignUp.objects.select_related("occurrence__activity"), pk=signup_id)
    occurrence = _staff_occurrence(request, signup.occurrence_id)
    try:
        services.signup_cancel(signup=signup, actor=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The sign-up is cancelled."))
    return redirect("activities:occurrence_signups", occurrence.pk)


@require_GET
def department_feed(request: HttpRequest, department_id: int) -> HttpResponse:
    """The department's public activities as an iCal feed (no login: public only)."""
    department = get_object_or_404(Department, pk=department_id)
    response = HttpResponse(
        ical.department_feed_cached(department), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = f"public, max-age={ical.FEED_CACHE_SECONDS}"
    return response


@require_GET
def user_feed(request: HttpRequest, key: str) -> HttpResponse:
    """What the key's owner signed up for; the key is the bookings' private-feed key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), key=key)
    if not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        ical.user_feed(feed.user, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("aktiviteter/tid/<int:occurrence_id>/tilmelding/", signup_box, name="signup_box"),
    path("aktiviteter/tid/<int:occurrence_id>/tilmeld/", signup, name="signup"),
    path("aktiviteter/tid/<int:occurrence_id>/afmeld/", cancel, name="cancel"),
    path(
        "aktiviteter/tid/<int:occurrence_id>/tilmeld-andre/",
        signup_on_behalf,
        name="signup_on_behalf",
    ),
    path(
        "aktiviteter/tid/<int:occurrence_id>/tilmeldte/",
        occurrence_signups,
        name="occurrence_signups",
    ),
    path("aktiviteter/tilmelding/<int:signup_id>/afmeld/", signup_remove, name="signup_remove"),
    path("aktiviteter/tilmelding/bekraeft/<str:token>/", signup_confirm, name="signup_confirm"),
    path(
        "aktiviteter/tilmelding/afmeld/<str:token>/",
        signup_cancel_link,
        name="signup_cancel_link",
    ),
    path("aktiviteter/tilmeldinger/", my_signups, name="my_signups"),
    path("aktiviteter/feed/<int:department_id>.ics", department_feed, name="department_feed"),
    path("aktiviteter/feed/mine/<str:key>.ics", user_feed, name="user_feed"),
]
