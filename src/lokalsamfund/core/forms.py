from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import ratelimit


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (``2026-06-10``), whatever the
    language: ``<input type="date">`` shows nothing for a Danish ``10.06.2026``, so a date put
    in beforehand or shown again after an error would be lost."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, with hours and minutes (``17:30``) whatever the language."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class RateLimitedLoginMixin:
    """Refuses further tries after too many failures for an e-mail or client, counted by
    ``core/ratelimit.py`` for every way in (the login page, the back office, ...)."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        keys = ratelimit.login_keys(self.request, email) if self.request else []
        if keys and ratelimit.is_locked(ratelimit.Purpose.LOGIN, keys):
            raise forms.ValidationError(ratelimit.locked_message(), code="locked")
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if keys:
                ratelimit.record_failure(ratelimit.Purpose.LOGIN, keys)
            raise
        if keys:
            ratelimit.clear(ratelimit.Purpose.LOGIN, keys[:1])  # the e-mail's, not the client's
        return cleaned


class RateLimitedLoginForm(RateLimitedLoginMixin, AuthenticationForm):
    """The login form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong."),
    }


class RateLimitedAdminLoginForm(RateLimitedLoginMixin, AdminAuthenticationForm):
    """The back office's login form: the same limit as the login page."""


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


def errors_as_text(form: forms.Form) -> str:
    """A form's errors as one text for a message, each after its field's label, never the
    field's name in the code ("Dato: Indtast en gyldig dato.", not "* date")."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None else None
        for error in errors:
            parts.append(
                _("%(label)s: %(error)s") % {"label": label, "error": error}
                if label
                else str(error)
            )
    return " ".join(parts)
