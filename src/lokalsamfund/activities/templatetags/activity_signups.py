"""``{% load activity_signups %}{% signup_state occurrence %}``: the self-contained sign-up box
of one occurrence (places left, the user's own sign-up, sign up / cancel, the form without an
account for public activities). Activity pages include ``activities/_signup.html``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import template
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from lokalsamfund.activities.models import Occurrence
from lokalsamfund.activities.permissions import may_organise
from lokalsamfund.activities.selectors_signups import signup_state as _state

register = template.Library()


@register.inclusion_tag("activities/_signup_box.html", takes_context=True)
def signup_state(
    context: template.Context, occurrence: Occurrence, message: str = ""
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    # A page showing many boxes computes their states at once (``signup_states``).
    known = context.get("signup_states") or {}
    state = known.get(occurrence.pk) or _state(occurrence=occurrence, user=user)
    return {
        "s": state,
        "message": message or context.get("signup_message", ""),
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "next": _back_path(request),
    }


def _back_path(request: HttpRequest | None) -> str:
    """Where the box's form returns without JavaScript: the page showing it (with htmx, the
    page in the browser, not the fragment's URL)."""
    if request is None:
        return ""
    current = request.headers.get("HX-Current-URL") if request.headers.get("HX-Request") else ""
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


@register.filter
def has_organiser_page(user: Any) -> bool:
    """``{% if user|has_organiser_page %}``: the link to "My activities" only for those whose
    page it is (the view's own rule)."""
    return may_organise(user)
