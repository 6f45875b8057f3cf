"""Reads of rounds: which rounds a user sees, a round's page (answers counted by channel,
what the user may do), the free text for coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm

from ..models import Channel, RoundStatus, SurveyComment, SurveyResponse, SurveyRound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User

RESULT_PERMS = (Perm.VIEW_SURVEY_RESULTS, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY)


def round_by_slug(slug: str) -> SurveyRound:
    found = SurveyRound.objects.select_related("organisation").filter(slug=slug).first()
    if found is None:
        raise NotFound(_("There is no survey round '%(slug)s'.") % {"slug": slug})
    return found


def visible_round(user: User | AnonymousUser, slug: str) -> SurveyRound:
    """The round if ``user`` may see it; else ``NotFound``, as if it did not exist, so that
    other organisations cannot learn which rounds there are."""
    found = rounds_for(user).filter(slug=slug).first()
    if found is None:
        raise NotFound(_("There is no survey round '%(slug)s'.") % {"slug": slug})
    return found


def rounds_for(user: User | AnonymousUser) -> QuerySet[SurveyRound]:
    """Rounds of the organisations where the user has any survey permission."""
    perms = (Perm.MANAGE_SURVEYS, Perm.ENTER_PAPER_ANSWERS, *RESULT_PERMS)
    organisations = permissions.organisations_for(user, perms[0])
    for perm in perms[1:]:
        organisations = organisations | permissions.organisations_for(user, perm)
    return (
        SurveyRound.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("departments")
    )


def rounds_for_system() -> QuerySet[SurveyRound]:
    """Every round (the command line acts as the system)."""
    return SurveyRound.objects.select_related("organisation").prefetch_related("departments")


def response_counts(survey_round: SurveyRound) -> dict[int, dict[str, int]]:
    """Responses so far per department id and channel (counts only, for following the
    response rate and judging the open link, which one person can use more than once)."""
    rows = (
        SurveyResponse.objects.filter(round=survey_round)
        .values_list("department", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for department_id, channel, n in rows:
        counts.setdefault(department_id, {})[channel] = n
    return counts


@dataclass
class RoundRow:
    """One department of a round as its page shows it to one user."""

    department: Department
    counts: dict[str, int]  # channel -> responses (empty for those who may not manage)
    total: int
    link_token: str  # the open link's token, for those who manage an open round
    summary: bool  # the residents' summary is published and the user may see it
    more_than_adults: bool  # more responses than the department has adult residents

    @property
    def channel_counts(self) -> list[int]:
        """The counts in the order of ``Channel`` (for a table's columns)."""
        return [self.counts.get(channel, 0) for channel in Channel.values]


@dataclass
class RoundPage:
    """What one user may see and do on a round's page (the rules, so the template only shows)."""

    survey_round: SurveyRound
    rows: list[RoundRow]
    manage: bool
    channels: list[tuple[str, str]]  # (value, label) of the counted channels
    channel_totals: dict[str, int]
    total: int
    can_open: bool
    can_close: bool
    can_import: bool
    can_publish: bool
    can_withdraw: bool
    can_make_letters: bool
    can_enter_paper: bool
    can_see_results: bool
    can_see_comments: bool

    @property
    def channel_total_counts(self) -> list[int]:
        return [self.channel_totals[channel] for channel in Channel.values]


def round_page(user: User | AnonymousUser, survey_round: SurveyRound) -> RoundPage | None:
    """The round's page for ``user``, or None when the round is not theirs to see."""
    if not rounds_for(user).filter(pk=survey_round.pk).exists():
        return None
    organisation = survey_round.organisation
    manage = permissions.has_perm(user, Perm.MANAGE_SURVEYS, organisation)
    status = survey_round.status
    counts = response_counts(survey_round) if manage else {}
    tokens = (
        dict(survey_round.links.filter(active=True).values_list("department_id", "token"))
        if manage and status == RoundStatus.OPEN
        else {}
    )
    departments = list(survey_round.departments.all())
    rows = []
    for department in departments:
        by_channel = counts.get(department.pk, {})
        total = sum(by_channel.values())
        rows.append(
            RoundRow(
                department=department,
                counts=by_channel,
                total=total,
                link_token=tokens.get(department.pk, ""),
                summary=survey_round.summary_published
                and permissions.has_perm(user, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY, department),
                more_than_adults=manage and 0 < department.adult_residents < total,
            )
        )
    paper = status == RoundStatus.OPEN and any(
        permissions.has_perm(user, Perm.ENTER_PAPER_ANSWERS, d) for d in departments
    )
    results = status == RoundStatus.CLOSED and (
        permissions.has_perm(user, Perm.VIEW_SURVEY_RESULTS, organisation)
        or any(permissions.has_perm(user, Perm.VIEW_SURVEY_RESULTS, d) for d in departments)
    )
    return RoundPage(
        survey_round=survey_round,
        rows=rows,
        manage=manage,
        channels=[(value, str(label)) for value, label in Channel.choices],
        channel_totals={c: sum(r.counts.get(c, 0) for r in rows) for c in Channel.values},
        total=sum(r.total for r in rows),
        can_open=manage and status == RoundStatus.DRAFT,
        can_close=manage and status == RoundStatus.OPEN,
        can_import=manage and status == RoundStatus.OPEN,
        can_publish=manage and status == RoundStatus.CLOSED and not survey_round.summary_published,
        can_withdraw=manage and status == RoundStatus.CLOSED and survey_round.summary_published,
        can_make_letters=manage and status != RoundStatus.CLOSED,
        can_enter_paper=paper,
        can_see_results=results,
        can_see_comments=status != RoundStatus.DRAFT
        and permissions.has_perm(user, Perm.VIEW_FREE_TEXT, organisation),
    )


def comments_for(survey_round: SurveyRound) -> QuerySet[SurveyComment]:
    """A round's free text for its coordinators, by department and text, never by arrival
    (which could tie a comment to a moment, and so to a person)."""
    return (
        SurveyComment.objects.filter(round=survey_round)
        .select_related("department")
        .order_by("department__code", "text", "pk")
    )


def comment_in_round(survey_round: SurveyRound, comment_id: str) -> SurveyComment | None:
    """A comment of the round by its id as a form sent it, or None (also for a malformed id)."""
    if not comment_id.isdigit():
        return None
    return (
        SurveyComment.objects.select_related("round__organisation")
        .filter(round=survey_round, pk=int(comment_id))
        .first()
    )
