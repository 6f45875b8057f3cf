"""``lokalsamfund booking_reminders``: e-mail renewal reminders for letting agreements.

Run daily (cron or a systemd timer); an agreement is reminded about on each run while it is
within 90 days of its end.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lokalsamfund.bookings.services.reminders import letting_renewal_reminders_send


class Command(BaseCommand):
    help = "E-mail coordinators about external-letting agreements that end within 90 days."

    def handle(self, *args: Any, **options: Any) -> None:
        count = letting_renewal_reminders_send(today=timezone.localdate())
        self.stdout.write(f"Reminders sent for {count} agreement(s).")
