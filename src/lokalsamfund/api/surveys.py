"""/api/v1 endpoints of the surveys domain."""

from ninja import Router

router = Router(tags=["surveys"])
