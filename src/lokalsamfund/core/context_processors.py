from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the menu for this user."""
    return {"nav_items": navigation.items_for(request.user)}
