"""The residents' activation page (public): the code from the letter, then name, e-mail and
password (or, when logged in, the home is added to the account). The code travels only in
POST bodies and the QR code's URL fragment, never in a path or query string."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lokalsamfund.core import ratelimit
from lokalsamfund.core.errors import DomainError

from .. import services
from ..forms import ActivationAccountForm, ActivationCodeForm
from ..models import ActivationCode

SESSION_KEY = "residents_activation_code"


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = services.activation_code_lookup(
                code=form.cleaned_data["code"], client=ratelimit.client_address(request)
            )
        except ratelimit.TooManyAttempts as exc:
            form.add_error("code", exc.message)
            status = 429
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = 400
        else:
            request.session[SESSION_KEY] = found.pk
            return HttpResponseRedirect(reverse("residents:activate_account"))
    elif request.method == "POST":
        status = 400
    return render(request, "residents/activate.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def activate_account(request: HttpRequest) -> HttpResponse:
    code_id = request.session.get(SESSION_KEY)
    code = (
        ActivationCode.objects.select_related("tenancy__department", "tenancy__organisation")
        .filter(pk=code_id, used_at__isnull=True, voided_at__isnull=True)
        .first()
        if isinstance(code_id, int)
        else None
    )
    if code is None or code.tenancy.moved_out is not None:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("Type the code from your letter."))
        return HttpResponseRedirect(reverse("residents:activate"))
    logged_in = request.user.is_authenticated
    form = None if logged_in else ActivationAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            user = services.activation_complete(
                code_id=code.pk,
                user=request.user if logged_in else None,  # type: ignore[arg-type]
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                password=data.get("password", ""),
            )
        except DomainError as exc:
            if form is not None:
                form.add_error(None, exc.message)
            else:
                messages.error(request, exc.message)
            status = 409
        else:
            request.session.pop(SESSION_KEY, None)
            if not logged_in:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                _("Welcome! Your account belongs to %(home)s in %(department)s.")
                % {"home": code.tenancy.home, "department": code.tenancy.department.name},
            )
            return HttpResponseRedirect(reverse("home"))
    elif request.method == "POST":
        status = 400
    context = {"form": form, "tenancy": code.tenancy, "logged_in": logged_in}
    return render(request, "residents/activate_account.html", context, status=status)
