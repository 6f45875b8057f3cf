"""Sharing participation figures with the network (writes) and the local evidence and ideas'
realised reach made of them (reads).

What is shared comes only from the activities domain's disclosure-controlled participation
figures (``activities.figures.protected_table``, the same table every participation report
shows): per department and activity type, the attendances and occurrences held over the last
twelve ended months, summing only shown months (``activities.reach.department_reach``), and
only where the sum is at least k. Never a headcount, a month, an activity's title or a name.
Stopping deletes the share: its figures leave the catalogue's local evidence, the ideas and the
API at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Actor, Perm
from lokalsamfund.surveys.disclosure import effective_k

from . import bundle, local_evidence, pool
from .models import Idea, IdeaOrigin, ReachShare, SharedDepartment, SharedReach
from .services import local_member, profile_of

# Writes ---------------------------------------------------------------------------------------


def shareable_reach(
    organisation: Organisation, *, now: datetime | None = None
) -> tuple[str, str, list[dict[str, Any]]]:
    """(first month, last month, rows) of what the organisation would share: per department
    and activity type its shown attendances and occurrences of the last twelve ended months."""
    from lokalsamfund.activities import figures, reach

    first, last = figures.default_range(now)
    months = reach.month_range(first, last)
    table = figures.protected_table(organisation, first, last)
    k = effective_k(table.k)
    member = local_member(organisation)
    rows = []
    for department in Department.objects.filter(organisation=organisation).order_by("code"):
        kind, band, _region = profile_of(department)
        found = reach.department_reach(table, department_id=department.pk, months=months)
        for activity_type, r in sorted(found.items()):
            if r.sessions <= 0 or r.attendances < k:
                continue
            rows.append(
                {
                    "label": bundle.department_label(member, department.code),
                    "kind": kind,
                    "size_band": band,
                    "activity_type": activity_type,
                    "attendances": r.attendances,
                    "sessions": r.sessions,
                    "months": len(months),
                }
            )
    return first, last, rows


def reach_share(
    *, actor: Actor, organisation: Organisation, now: datetime | None = None
) -> ReachShare:
    """Share (or refresh) the organisation's participation figures with the network."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, organisation)
    with transaction.atomic():
        first, last, rows = shareable_reach(organisation, now=now)
        ReachShare.objects.filter(organisation=organisation).delete()
        share = ReachShare.objects.create(
            organisation=organisation,
            first_month=first,
            last_month=last,
            shared_by=actor if isinstance(actor, User) else None,
        )
        SharedReach.objects.bulk_create(SharedReach(share=share, **row) for row in rows)
        log_action(
            actor=actor,
            action="network.reach_shared",
            organisation=organisation,
            obj=share,
            data={"from": first, "to": last, "rows": len(rows)},
        )
    return share


def reach_unshare(*, actor: Actor, organisation: Organisation) -> None:
    """Stop sharing participation figures: they leave the local evidence and ideas at once."""
    permissions.require(actor, Perm.SHARE_WITH_NETWORK, organisation)
    with transaction.atomic():
        deleted, _counts = ReachShare.objects.filter(organisation=organisation).delete()
        if not deleted:
            raise NotFound(_("Your participation figures are not shared with the network."))
        log_action(actor=actor, action="network.reach_share_stopped", organisation=organisation)


# Reads ----------------------------------------------------------------------------------------


def reach_share_of(organisation: Organisation) -> ReachShare | None:
    return ReachShare.objects.filter(organisation=organisation).first()


def _period_start(share: ReachShare) -> str:
    return f"{share.first_month}-01"


def reach_entries() -> list[local_evidence.ReachEntry]:
    rows = SharedReach.objects.select_related("share").order_by("pk")
    return [
        local_evidence.ReachEntry(
            member=local_member(row.share.organisation_id),
            department=row.label,
            activity_type=row.activity_type,
            attendances=row.attendances,
            sessions=row.sessions,
            months=row.months,
            period_start=_period_start(row.share),
            order=row.share.last_month,
        )
        for row in rows
    ]


def _figures(raw: dict[str, Any] | None) -> dict[str, pool.Figure]:
    return {
        name: pool.Figure(
            value=float(f["value"]),
            ci_low=float(f["ci_low"]),
            ci_high=float(f["ci_high"]),
            denominator=int(f["denominator"]),
        )
        for name, f in (raw or {}).items()
        if name in pool.INDICATORS
    }


def round_figures(*, labels: set[str] | None = None) -> list[local_evidence.RoundFigure]:
    """Every shared department's survey figures per round (the benchmarks' stored figures)."""
    rows = SharedDepartment.objects.select_related("shared_round").order_by("pk")
    if labels is not None:
        rows = rows.filter(label__in=labels)
    return [
        local_evidence.RoundFigure(
            member=row.shared_round.member,
            department=row.label,
            closed_on=row.shared_round.closed_on.isoformat() if row.shared_round.closed_on else "",
            figures=_figures(row.figures),
        )
        for row in rows
    ]


def local_evidence_for(
    organisation: Organisation, activity_types: list[str]
) -> dict[str, local_evidence.LocalEvidence]:
    """The local evidence of each activity type for ``organisation`` (its own figures left
    out; shown only above the pool rule)."""
    return local_evidence.for_types(
        reach_entries(),
        round_figures(),
        asking_member=local_member(organisation),
        activity_types=activity_types,
    )


@dataclass(frozen=True)
class IdeaReach:
    """Realised reach of an idea's department and activity type, from shared figures only."""

    department: str
    first_month: str
    last_month: str
    attendances: int
    sessions: int
    changes: dict[str, local_evidence.Interval]

    def as_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "from": self.first_month,
            "to": self.last_month,
            "attendances": self.attendances,
            "sessions": self.sessions,
            "per_session": round(self.attendances / self.sessions, 1),
            "changes": {k: v.as_dict() for k, v in self.changes.items()},
        }


def ideas_reach(found: Iterable[Idea]) -> dict[int, IdeaReach | None]:
    """The realised reach of each idea (see ``idea_reach``) in a fixed number of queries,
    however many ideas: origins, shares, shared rows and shared rounds are read once."""
    ideas = list(found)
    origins = {
        o.idea_id: o for o in IdeaOrigin.objects.filter(idea__in=ideas).select_related("department")
    }
    shares = {
        s.organisation_id: s
        for s in ReachShare.objects.filter(
            organisation_id__in={i.organisation_id for i in ideas if i.pk in origins}
        )
    }
    wanted: dict[int, tuple[str, str]] = {}
    for idea in ideas:
        origin = origins.get(idea.pk)
        if origin is None or not idea.activity_type or idea.organisation_id not in shares:
            continue
        member = local_member(idea.organisation_id)
        wanted[idea.pk] = (member, bundle.department_label(member, origin.department.code))
    labels = {label for _member, label in wanted.values()}
    rows = {
        (r.share_id, r.label, r.activity_type): r
        for r in SharedReach.objects.filter(share__in=shares.values(), label__in=labels)
    }
    rounds: dict[tuple[str, str], list[local_evidence.RoundFigure]] = {}
    for r in round_figures(labels=labels) if labels else []:
        rounds.setdefault((r.member, r.department), []).append(r)
    out: dict[int, IdeaReach | None] = {}
    for idea in ideas:
        out[idea.pk] = None
        if idea.pk not in wanted:
            continue
        share = shares[idea.organisation_id]
        member, label = wanted[idea.pk]
        row = rows.get((share.pk, label, idea.activity_type))
        if row is None:
            continue
        changes = {}
        for indicator in local_evidence.CHANGE_INDICATORS:
            pair = local_evidence.department_change(
                rounds.get((member, label), []),
                period_start=_period_start(share),
                indicator=indicator,
            )
            if pair is not None:
                changes[indicator] = local_evidence.change_between([pair[0]], [pair[1]])
        out[idea.pk] = IdeaReach(
            department=origins[idea.pk].department.name,
            first_month=share.first_month,
            last_month=share.last_month,
            attendances=row.attendances,
            sessions=row.sessions,
            changes=changes,
        )
    return out


def idea_reach(idea: Idea) -> IdeaReach | None:
    """The shared reach of the department an idea came from, for the idea's activity type,
    and its before/after survey change where both rounds around the shared period are shared;
    None unless the organisation shares its participation (and the figure is at least k)."""
    return ideas_reach([idea])[idea.pk]
