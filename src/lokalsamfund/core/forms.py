from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import ratelimit


class RateLimitedLoginForm(AuthenticationForm):
    """The login form, refusing further tries after too many failures for an e-mail or client."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong."),
        "locked": _("Too many failed logins. Wait 15 minutes, or reset your password."),
    }

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        client = ratelimit.client_address(self.request) if self.request else ""
        keys = ratelimit.keys_for(ratelimit.Purpose.LOGIN, email=email, client=client)
        if ratelimit.is_locked(ratelimit.Purpose.LOGIN, keys):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ratelimit.record_failure(ratelimit.Purpose.LOGIN, keys)
            raise
        ratelimit.clear(ratelimit.Purpose.LOGIN, keys[:1])  # the e-mail's, not the client's
        return cleaned
