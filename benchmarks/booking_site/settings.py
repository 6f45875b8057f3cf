"""Settings of the booking benchmark: the product's settings plus a benchmark-only URLconf
(with the bare "insert a row" baseline endpoint, which is not part of the product)."""

from lokalsamfund.settings import *  # noqa: F403

ROOT_URLCONF = "booking_site.urls"
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
