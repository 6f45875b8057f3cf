from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import permissions, ratelimit, start_page
from .forms import RateLimitedLoginForm
from .grants import grant_notices_for
from .selectors import start_page_for


def _url_if_any(name: str) -> str | None:
    """The URL of ``name``, or ``None`` while no installed app provides that page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def home(request: HttpRequest) -> HttpResponse:
    """The start page: for a logged-in user, their organisations, departments and tools;
    for anyone else, what the site is and the ways in for residents."""
    if not request.user.is_authenticated:
        ways_in = {
            "survey_url": reverse("surveys:form_start"),
            "common_house_url": reverse("bookings:facilities"),
            # The activities calendar appears here as soon as the activities app has one.
            "calendar_url": _url_if_any("activities:calendar"),
        }
        return render(request, "core/landing.html", ways_in)
    context = {
        "organisations": start_page_for(request.user),
        "back_office": permissions.has_back_office(request.user),
        "grant_notices": grant_notices_for(request.user),
        "start_items": start_page.items_for(request.user),
    }
    return render(request, "core/home.html", context)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means: not healthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@cache
def _favicon() -> bytes:
    return (Path(__file__).resolve().parent.parent / "static" / "favicon.ico").read_bytes()


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for whatever the page links (and a 404 in every
    log otherwise): the same small icon as ``static/favicon.svg``, cached for a day."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LoginView(auth_views.LoginView):
    form_class = RateLimitedLoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link: each request counts, per e-mail and per client
    (``Purpose.PASSWORD_RESET``), so that the form cannot flood an inbox."""

    def form_valid(self, form: Any) -> HttpResponse:
        keys = ratelimit.keys_for(
            ratelimit.Purpose.PASSWORD_RESET,
            email=form.cleaned_data["email"],
            client=ratelimit.client_address(self.request),
        )
        if ratelimit.is_locked(ratelimit.Purpose.PASSWORD_RESET, keys):
            form.add_error(None, ratelimit.locked_message(ratelimit.Purpose.PASSWORD_RESET))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        ratelimit.record_failure(ratelimit.Purpose.PASSWORD_RESET, keys)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting the new password lifts the login lock of the address (and this client)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        ratelimit.lift_login_lock(self.request, self.user.email)
        return response


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error."}, status=500)
    return render(request, "500.html", status=500)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Permission denied."}, status=403)
    return render(request, "403.html", status=403)
