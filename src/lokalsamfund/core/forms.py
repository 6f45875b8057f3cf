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


class InvitationAcceptForm(forms.Form):
    """A new account from an invitation: name and password, twice."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned
