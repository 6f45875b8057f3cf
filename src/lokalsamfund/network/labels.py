"""Danish (translated) names of the network's bands and scopes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lokalsamfund.surveys import labels as survey_labels

from . import pool
from .models import DepartmentKind


def size_band(band: str) -> str:
    return {
        "under_100": _("under 100 homes"),
        "100_299": _("100-299 homes"),
        "300_599": _("300-599 homes"),
        "600_plus": _("600 homes or more"),
    }.get(band, _("size unknown"))


def kind(value: str) -> str:
    return str(DepartmentKind(value).label) if value in DepartmentKind.values else value


def indicator(name: str) -> str:
    return str(survey_labels.indicator(name))


def reason(code: str) -> str:
    return {
        "too_few": _(
            "Not shown: fewer than %(orgs)s other organisations or %(depts)s departments share it."
        )
        % {"orgs": pool.MIN_ORGANISATIONS, "depts": pool.MIN_DEPARTMENTS},
        "complement": _(
            "Not shown: together with the figure for departments like yours it would reveal "
            "a small group's figure."
        ),
    }.get(code, "")
