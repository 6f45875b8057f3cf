"""Second attack (docs/security.md): without EMAIL_HOST, e-mails with their invitation,
reset and verification links went into the server's log, and the deploy check was silent."""

from __future__ import annotations

from typing import Any

from lokalsamfund.core import checks


def test_the_deploy_check_warns_when_e_mails_would_go_into_the_log(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [w.id for w in checks.email_not_into_the_log(None)] == ["lokalsamfund.W003"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.email_not_into_the_log(None) == []
