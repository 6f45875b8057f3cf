"""Panels other domains add to the survey's department results page (e.g. the network's
"departments like yours"). A panel is ``f(request, survey_round, department) -> str`` (HTML,
already escaped by its template; "" to show nothing), registered in the domain's ``ready()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

DepartmentPanel = Callable[[Any, Any, Any], str]

_department_panels: list[DepartmentPanel] = []


def register_department_panel(panel: DepartmentPanel) -> None:
    if panel not in _department_panels:
        _department_panels.append(panel)


def department_panels(request: Any, survey_round: Any, department: Any) -> list[SafeString]:
    """The registered panels' HTML for a department's results page (empty ones left out)."""
    found = (panel(request, survey_round, department) for panel in _department_panels)
    return [mark_safe(html) for html in found if html]  # noqa: S308 - rendered templates
