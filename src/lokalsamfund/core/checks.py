"""System checks of our own, run by ``lokalsamfund check`` (``--deploy`` for production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_database(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [
            Warning(
                "SQLite is the embedded default for trying lokalsamfund and for one process.",
                hint="Set DATABASE_URL to a PostgreSQL database for production "
                "(docs/deployment.md).",
                id="lokalsamfund.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def https_behind_proxy(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not settings.HTTPS:
        return [
            Warning(
                "LOKALSAMFUND_HTTPS is not set: cookies are not marked secure and HTTP is "
                "not redirected to HTTPS.",
                hint="Set LOKALSAMFUND_HTTPS=1 behind a TLS-terminating proxy.",
                id="lokalsamfund.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def email_not_into_the_log(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The console backend writes every e-mail, with its links, into the server's log: the
    invitation, password-reset and verification tokens that the log must never hold."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
        return [
            Warning(
                "E-mails are written to the server's log (the console backend), with the "
                "invitation, password-reset and verification links in them.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) "
                "for SMTP (docs/deployment.md).",
                id="lokalsamfund.W003",
            )
        ]
    return []
