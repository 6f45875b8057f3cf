"""/api/v1 endpoints of the activities domain: participation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["activities"])
