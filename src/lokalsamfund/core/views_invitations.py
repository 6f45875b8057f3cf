"""Accepting an invitation at ``/invitation/<token>/``.

The token is the only path segment after ``/invitation/`` (a log filter redacts it). A person
whose address already has an account logs in first: the token waits in the session, and the
login returns to ``/invitation/`` (no token in the login page's ``next``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import ratelimit
from .errors import DomainError
from .forms import InvitationAcceptForm
from .invitations import InvitationNotValid, LoginFirst, invitation_accept, invitation_for_token
from .models import User

SESSION_KEY = "lokalsamfund_invitation"


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept(request: HttpRequest, token: str) -> HttpResponse:
    return _accept(request, token)


@never_cache
@sensitive_post_parameters("password1", "password2")
def resume(request: HttpRequest) -> HttpResponse:
    """After logging in: the invitation whose token waits in the session."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return redirect("home")
    return _accept(request, str(token))


def _render(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    return render(request, "core/invitation_accept.html", context, status=status)


def _accept(request: HttpRequest, token: str) -> HttpResponse:
    keys = ratelimit.login_keys(request)
    if ratelimit.is_locked(ratelimit.Purpose.LOGIN, keys):
        return _render(request, {"error": ratelimit.locked_message()}, status=429)
    try:
        invitation = invitation_for_token(token)
    except InvitationNotValid as exc:
        ratelimit.record_failure(ratelimit.Purpose.LOGIN, keys)
        request.session.pop(SESSION_KEY, None)
        return _render(request, {"error": exc.message}, status=400)
    user = request.user
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    if isinstance(user, User) and user.email.lower() != invitation.email.lower():
        message = _(
            "This invitation is for another e-mail address. Log out, and open the link again."
        )
        return _render(request, {"invitation": invitation, "error": message}, status=403)
    if not user.is_authenticated and account_exists:
        request.session[SESSION_KEY] = token
        login_url = reverse("login") + "?" + urlencode({"next": reverse("invitation_resume")})
        return _render(request, {"invitation": invitation, "login_url": login_url})
    form = InvitationAcceptForm(request.POST or None) if not user.is_authenticated else None
    status = 200
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            account = invitation_accept(
                token=token,
                full_name=data.get("full_name", ""),
                password=data.get("password1", ""),
                user=user,
            )
        except LoginFirst:
            return redirect("invitation_accept", token=token)
        except DomainError as exc:
            if isinstance(exc, InvitationNotValid):
                ratelimit.record_failure(ratelimit.Purpose.LOGIN, keys)
            if form is None:
                return _render(request, {"invitation": invitation, "error": exc.message}, 400)
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            request.session.pop(SESSION_KEY, None)
            if not user.is_authenticated:
                login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome. You are now %(role)s in %(organisation)s.")
                % {
                    "role": invitation.get_role_display(),
                    "organisation": invitation.organisation.name,
                },
            )
            return redirect("home")
    elif request.method == "POST":
        status = 400
    return _render(request, {"invitation": invitation, "form": form}, status=status)
