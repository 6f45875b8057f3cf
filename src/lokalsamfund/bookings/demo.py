"""Demo data of the booking domain: the fælleshus of A1 with two rooms."""

from __future__ import annotations

from lokalsamfund.core.demo import DemoContext

from .models import Facility, Room


def load(ctx: DemoContext) -> None:
    facility, _ = Facility.objects.get_or_create(
        slug="engparkens-faelleshus",
        defaults={
            "organisation": ctx.organisation,
            "department": ctx.departments["A1"],
            "name": "Engparkens Fælleshus",
            "address": "Engparken 20, 5000 Odense C",
            "description": "Fælleshus med sal og mødelokale.",
        },
    )
    Room.objects.get_or_create(facility=facility, name="Salen", defaults={"capacity": 80})
    Room.objects.get_or_create(facility=facility, name="Mødelokalet", defaults={"capacity": 16})
    ctx.say(f"Fælleshus: {facility.name} (/facilities/{facility.slug}/)")
