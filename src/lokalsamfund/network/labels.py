"""Danish (translated) names of the network's bands and scopes, and the local evidence's
sentences."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting
from lokalsamfund.surveys import labels as survey_labels

from . import pool
from .local_evidence import Interval, LocalEvidence
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


def _lang() -> str:
    return formatting.language(get_language())


def points(value: float) -> str:
    """A change of a share in percentage points, with its sign: ``−3,4``."""
    text = formatting.number(value * 100, 1, _lang())
    return text if value < 0 or text.startswith("−") else f"+{text}"


def change_text(indicator_name: str, change: Interval) -> str:
    return _(
        "%(indicator)s: %(change)s percentage points (%(low)s to %(high)s) from the round "
        "before to the round after"
    ) % {
        "indicator": indicator(indicator_name),
        "change": points(change.value),
        "low": points(change.low),
        "high": points(change.high),
    }


def local_evidence_lines(evidence: LocalEvidence) -> list[str]:
    """The catalogue's local evidence of one activity type as sentences (empty: not shown).
    The source is the number of organisations, never their names: with ideas that show an
    organisation's own reach, a name would let a reader subtract it from the pool."""
    if not evidence.shown or evidence.per_session is None:
        return []
    lang = _lang()
    assert evidence.sessions_a_year is not None  # noqa: S101 - shown figures are complete
    lines = [
        _(
            "Local evidence: %(depts)s departments, %(sessions)s sessions held; "
            "%(per)s attendances per session (%(interval)s); %(a_year)s sessions a year per "
            "department (%(year_interval)s). Source: %(orgs)s organisations in the network."
        )
        % {
            "depts": evidence.departments,
            "sessions": formatting.number(evidence.sessions, 0, lang),
            "per": formatting.mean(evidence.per_session.value, 1, lang),
            "interval": formatting.interval(
                evidence.per_session.low, evidence.per_session.high, "number", lang, 1
            ),
            "a_year": formatting.mean(evidence.sessions_a_year.value, 1, lang),
            "year_interval": formatting.interval(
                evidence.sessions_a_year.low, evidence.sessions_a_year.high, "number", lang, 1
            ),
            "orgs": evidence.organisations,
        }
    ]
    for name, change in evidence.changes.items():
        if change.shown and change.value is not None:
            lines.append(
                _(
                    "%(change)s (%(depts)s departments, %(orgs)s organisations; not a controlled "
                    "comparison)."
                )
                % {
                    "change": change_text(name, change.value),
                    "depts": change.departments,
                    "orgs": change.organisations,
                }
            )
    return lines
