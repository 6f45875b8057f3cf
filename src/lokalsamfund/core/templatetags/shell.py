"""Template tags of the shell shared by every domain's pages.

``{% load shell %}{% example_data_badge round.organisation %}`` shows the "Eksempeldata" badge
when the figures on the page belong to the demo organisation (``core.demo.is_example_data``).
"""

from __future__ import annotations

from typing import Any

from django import template

from lokalsamfund.core.demo import is_example_data
from lokalsamfund.core.models import Organisation

register = template.Library()


@register.inclusion_tag("includes/example_data_badge.html")
def example_data_badge(organisation: Organisation | None) -> dict[str, Any]:
    return {"is_example": is_example_data(organisation)}
