"""Accounts for neighbours and associations: register, confirm the e-mail address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core import ratelimit
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import User

from .. import services
from ..forms import GuestRegistrationForm
from ..models import Facility


def _link_for(request: HttpRequest) -> object:
    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("bookings:verify", args=[token]))

    return link


def register(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("organisation"), slug=slug)
    organisation = facility.organisation
    form = GuestRegistrationForm(request.POST or None, organisation=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keys = ratelimit.login_keys(request, data["email"])
        if ratelimit.is_locked(ratelimit.Purpose.LOGIN, keys):
            form.add_error(None, ratelimit.locked_message())
            return render(
                request, "bookings/register.html", {"facility": facility, "form": form}, status=429
            )
        try:
            user = services.guest_register(
                organisation=organisation,
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                kind=data["kind"],
                neighbour_housing=data.get("neighbour_housing"),
                home=data.get("home", ""),
                association_name=data.get("association_name", ""),
                association_cvr=data.get("association_cvr", ""),
                link_for=_link_for(request),  # type: ignore[arg-type]
                reset_link=request.build_absolute_uri(reverse("password_reset")),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            if user is None:  # the address has an account: counts like a failed login
                ratelimit.record_failure(ratelimit.Purpose.LOGIN, ratelimit.login_keys(request))
            # One answer whether or not the address had an account (the e-mail says which).
            messages.success(
                request,
                _(
                    "Thank you. We sent an e-mail to %(email)s: follow its link to confirm "
                    "the address, then log in to book."
                )
                % {"email": data["email"]},
            )
            return redirect("bookings:facility", slug=facility.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request, "bookings/register.html", {"facility": facility, "form": form}, status=status
    )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    keys = ratelimit.login_keys(request)
    if ratelimit.is_locked(ratelimit.Purpose.LOGIN, keys):
        return render(
            request, "bookings/verify.html", {"error": ratelimit.locked_message()}, status=429
        )
    try:
        services.guest_verify(token=token)
    except DomainError as exc:
        ratelimit.record_failure(ratelimit.Purpose.LOGIN, keys)
        return render(request, "bookings/verify.html", {"error": exc.message}, status=400)
    return render(request, "bookings/verify.html", {"error": ""})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and not user.email_verified:
        services.send_verification(user=user, link_for=_link_for(request))  # type: ignore[arg-type]
        messages.success(request, _("We sent you a new link."))
    return redirect("bookings:mine")
