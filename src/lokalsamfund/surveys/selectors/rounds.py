"""Reads of rounds: which rounds a user sees, a round's page (answers counted by channel,
what the user may do), the free text for coordinators."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm

from .. import disclosure
from ..models import RoundStatus, SurveyComment, SurveyLink, SurveyResponse, SurveyRound

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
    found = rounds_for(user).filter(slug=slug).prefetch_related(None).first()
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


def response_total(survey_round: SurveyRound) -> int:
    """How many responses the round has (all departments and channels together)."""
    return SurveyResponse.objects.filter(round=survey_round).count()


def departments_over_adults(survey_round: SurveyRound) -> set[int]:
    """Ids of the round's departments with more responses than adult residents (an open link
    answered more than once): a flag, never a count."""
    rows = (
        SurveyResponse.objects.filter(round=survey_round)
        .values_list("department")
        .annotate(n=Count("pk"))
        .order_by()
    )
    adults = {d.pk: d.adult_residents for d in survey_round.departments.all()}
    return {d for d, n in rows if 0 < adults.get(d, 0) < n}


@dataclass
class RoundRow:
    """One department of a round as its page shows it to one user."""

    department: Department
    link: SurveyLink | None  # the open link, for those who manage an open round
    summary: bool  # the residents' summary is published and the user may see it
    more_than_adults: bool  # more responses than the department has adult residents


@dataclass
class RoundPage:
    """What one user may see and do on a round's page (the rules, so the template only shows).

    No live counts per department or channel while the round is open (a coordinator who
    watched a department's count grow could tie an answer to a moment, and pad a group with
    answers of their own, docs/security.md): only the round's total, once it is at least k.
    """

    survey_round: SurveyRound
    rows: list[RoundRow]
    manage: bool
    min_cell_size: int
    total: int | None  # the round's responses; None while fewer than k (or not for this user)
    can_open: bool
    can_close: bool
    can_import: bool
    can_publish: bool
    can_withdraw: bool
    can_make_letters: bool
    can_enter_paper: bool
    can_see_results: bool
    can_see_comments: bool


def round_page(user: User | AnonymousUser, survey_round: SurveyRound) -> RoundPage | None:
    """The round's page for ``user``, or None when the round is not theirs to see."""
    if not rounds_for(user).filter(pk=survey_round.pk).exists():
        return None
    organisation = survey_round.organisation
    manage = permissions.has_perm(user, Perm.MANAGE_SURVEYS, organisation)
    status = survey_round.status
    k = disclosure.effective_k(survey_round.min_cell_size)
    total = response_total(survey_round) if manage and status != RoundStatus.DRAFT else None
    if total is not None and total < k:
        total = None
    over = (
        departments_over_adults(survey_round) if manage and status != RoundStatus.DRAFT else set()
    )
    links = (
        {link.department_id: link for link in survey_round.links.all()}
        if manage and status == RoundStatus.OPEN
        else {}
    )
    departments = list(survey_round.departments.all())
    rows = [
        RoundRow(
            department=department,
            link=links.get(department.pk),
            summary=survey_round.summary_published
            and permissions.has_perm(user, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY, department),
            more_than_adults=department.pk in over,
        )
        for department in departments
    ]
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
        min_cell_size=k,
        total=total,
        can_open=manage and status == RoundStatus.DRAFT,
        can_close=manage and status == RoundStatus.OPEN,
        can_import=manage and status == RoundStatus.OPEN,
        can_publish=manage and status == RoundStatus.CLOSED and not survey_round.summary_published,
        can_withdraw=manage and status == RoundStatus.CLOSED and survey_round.summary_published,
        can_make_letters=manage and status != RoundStatus.CLOSED,
        can_enter_paper=paper,
        can_see_results=results,
        can_see_comments=status == RoundStatus.CLOSED
        and permissions.has_perm(user, Perm.VIEW_FREE_TEXT, organisation),
    )


def link_of(survey_round: SurveyRound, code: str) -> SurveyLink | None:
    """The round's open link of the department with ``code``, or None."""
    return (
        SurveyLink.objects.select_related("department")
        .filter(round=survey_round, department__code=code)
        .first()
    )


def comments_for(survey_round: SurveyRound) -> list[SurveyComment]:
    """A closed round's free text for its coordinators (nothing while it is open), by
    department and then in a stable shuffle keyed by the site's secret hash key: never by
    arrival, which could tie a comment to a moment and so to a person."""
    if not survey_round.is_closed:
        return []
    key = settings.LOKALSAMFUND_HASH_KEY.encode()
    found = SurveyComment.objects.filter(round=survey_round).select_related("department")

    def shuffled(comment: SurveyComment) -> tuple[str, str]:
        digest = hmac.new(key, f"comment:{comment.pk}".encode(), hashlib.sha256).hexdigest()
        return comment.department.code, digest

    return sorted(found, key=shuffled)


def comment_in_round(survey_round: SurveyRound, comment_id: str) -> SurveyComment | None:
    """A comment of the round by its id as a form sent it, or None (also for a malformed id)."""
    if not comment_id.isdigit() or not survey_round.is_closed:
        return None
    return (
        SurveyComment.objects.select_related("round__organisation")
        .filter(round=survey_round, pk=int(comment_id))
        .first()
    )


def import_vocabulary(
    survey_round: SurveyRound,
) -> tuple[dict[str, Department], dict[str, list[str]]]:
    """What a file of responses to ``survey_round`` may hold: its departments by code and its
    extra questions' codes with their allowed values. The importer and the import template
    both read it here, so that the template names exactly the columns the importer accepts."""
    departments = {d.code: d for d in survey_round.departments.order_by("code")}
    extra_items = {
        item.code: list(item.options.values_list("value", flat=True))
        for item in survey_round.extra_items.all()
    }
    return departments, extra_items
