"""/api/v1 endpoints of the decisions domain."""

from ninja import Router

router = Router(tags=["decisions"])
