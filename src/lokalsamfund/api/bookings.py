"""/api/v1 endpoints of the bookings domain."""

from ninja import Router

router = Router(tags=["bookings"])
