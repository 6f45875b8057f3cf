"""Results pages: the organisation overview, a department's results with breakdowns and
comparisons, the residents' published summary, the XLSX export and (coordinators only) the
free-text page. Every figure comes from the stored, disclosure-controlled results."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lokalsamfund.core import formatting, jobs, permissions
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import Perm

from .. import charts, extensions, instrument, labels, selectors, services, tasks
from ..models import SurveyRound
from .staff import _round


def _lang() -> str:
    return formatting.language(get_language())


def _format(name: str, value: float | None) -> str:
    """A figure as every survey page, PDF and chart writes it (core/formatting.py): rounded,
    never truncated."""
    if value is None:
        return ""
    if name.endswith("_share"):
        return formatting.share(value, 0, _lang())
    return formatting.mean(value, 1, _lang())


def _interval(name: str, low: float, high: float) -> str:
    if name.endswith("_share"):
        return formatting.interval(low, high, "share", _lang())
    return formatting.interval(low, high, "number", _lang(), 1)


def _cell(name: str, figure: dict[str, Any] | None) -> dict[str, Any]:
    """A figure for a table cell: value and interval as text, or suppressed."""
    if not figure or figure.get("suppressed"):
        return {"suppressed": True}
    if figure.get("value") is None:
        return {"empty": True, "denominator": figure.get("denominator")}
    return {
        "value": _format(name, figure["value"]),
        "interval": _interval(name, figure["ci_low"], figure["ci_high"]),
        "denominator": figure["denominator"],
    }


def _row(group: dict[str, Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
    indicators = group.get("indicators", {}) if not group.get("suppressed") else {}
    return [_cell(n, indicators.get(n)) for n in names]


def _not_ready(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    return render(request, "surveys/results_not_ready.html", {"round": survey_round})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    survey_round = _round(request, slug)
    if not survey_round.is_closed:
        return _not_ready(request, survey_round)
    view = selectors.results_for_user(request.user, survey_round, include_breakdowns=False)
    if view is None:
        raise PermissionDenied
    names = labels.KEY_INDICATORS
    departments = {d.code: d for d in survey_round.departments.all()}
    rows: list[dict[str, Any]] = [
        {
            "code": code,
            "name": departments[code].name if code in departments else code,
            "group": group,
            "cells": _row(group, names),
        }
        for code, group in sorted(view.departments.items())
    ]
    benchmark = selectors.benchmark_for(survey_round.organisation, "severe_loneliness_share")
    bars = [
        charts.Bar(f"{r['code']} {r['name']}", f["value"], f["ci_low"], f["ci_high"])
        for r in rows
        if (f := selectors.shown(r["group"], "severe_loneliness_share"))
    ]
    organisation_figure = selectors.shown(view.organisation, "severe_loneliness_share")
    if organisation_figure:
        bars.insert(
            0,
            charts.Bar(
                _("Whole organisation"),
                organisation_figure["value"],
                organisation_figure["ci_low"],
                organisation_figure["ci_high"],
            ),
        )
    chart = (
        charts.bar_chart(
            bars,
            title=_("Severe loneliness by department"),
            description=_(
                "Share with a UCLA-3 score of 7-9, with 95 % intervals; the line is the "
                "national figure. The same numbers are in the table below."
            ),
            maximum=max(0.4, *(b.high or b.value for b in bars)),
            reference=benchmark.value if benchmark else None,
            reference_label=_("National %(year)s") % {"year": benchmark.year} if benchmark else "",
        )
        if bars
        else None
    )
    return render(
        request,
        "surveys/results_overview.html",
        {
            "round": survey_round,
            "view": view,
            "rows": rows,
            "organisation_cells": _row(view.organisation, names) if view.organisation else None,
            "headers": [labels.indicator(n) for n in names],
            "benchmark": benchmark,
            "benchmark_text": _format("severe_loneliness_share", benchmark.value)
            if benchmark
            else "",
            "chart": chart,
            "can_see_comments": permissions.has_perm(
                request.user, Perm.VIEW_FREE_TEXT, survey_round.organisation
            ),
        },
    )


def _indicator_rows(
    survey_round: SurveyRound, department: Any, group: dict[str, Any]
) -> tuple[list[dict[str, Any]], SurveyRound | None]:
    """Every indicator with its national figure and the change since the previous round,
    formatted for the table."""
    comparisons, previous = selectors.department_comparisons(survey_round, department, group)
    rows = [
        {
            "name": c.name,
            "label": labels.indicator(c.name),
            "cell": _cell(c.name, c.figure),
            "benchmark": c.benchmark,
            "benchmark_text": _format(c.name, c.benchmark.value) if c.benchmark else "",
            "change": (
                {
                    "value": _format(c.name, c.change[0]),
                    "interval": _interval(c.name, c.change[1], c.change[2]),
                }
                if c.change
                else None
            ),
        }
        for c in comparisons
    ]
    return rows, previous


def _flag_chart(group: dict[str, Any], block: str, title: str) -> Any:
    bars = []
    for code in instrument.canonical().flag_codes(block):
        figure = selectors.shown(group, f"{code}_share")
        if figure:
            bars.append(
                charts.Bar(
                    labels.indicator(code), figure["value"], figure["ci_low"], figure["ci_high"]
                )
            )
    if not bars:
        return None
    bars.sort(key=lambda b: -b.value)
    return charts.bar_chart(
        bars,
        title=title,
        description=_("Shares with 95 % intervals; the same numbers are in the table below."),
        maximum=max(0.5, *(b.high or b.value for b in bars)),
    )


@login_required
def department(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    survey_round = _round(request, slug)
    if not survey_round.is_closed:
        return _not_ready(request, survey_round)
    found = survey_round.departments.filter(code=code).first()
    if found is None:
        raise Http404
    if not permissions.has_perm(request.user, Perm.VIEW_SURVEY_RESULTS, found):
        raise PermissionDenied
    view = selectors.round_view(survey_round, departments={code})
    if view is None or code not in view.departments:
        raise Http404
    group = view.departments[code]
    rows, previous = (
        ([], None) if group["suppressed"] else _indicator_rows(survey_round, found, group)
    )
    names = labels.KEY_INDICATORS
    breakdowns = []
    for name in instrument.BREAKDOWNS:
        cells = [g for g in view.breakdowns.get(code, []) if g["breakdown"] == name]
        if cells:
            breakdowns.append(
                {
                    "name": name,
                    "label": labels.breakdown(name),
                    "rows": [
                        {"group": g, "label": labels.cell(name, g["cell"]), "cells": _row(g, names)}
                        for g in cells
                    ],
                }
            )
    return render(
        request,
        "surveys/results_department.html",
        {
            "round": survey_round,
            "department": found,
            "group": group,
            "rows": rows,
            "previous": previous,
            "breakdowns": breakdowns,
            "headers": [labels.indicator(n) for n in names],
            "barriers_chart": _flag_chart(group, "barriers", _("What holds residents back")),
            "wishes_chart": _flag_chart(group, "wishes", _("What residents would like")),
            "min_cell_size": view.min_cell_size,
            "panels": []
            if group["suppressed"]
            else extensions.department_panels(request, survey_round, found),
        },
    )


@login_required
def summary(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The published summary for a department's residents."""
    survey_round = _round(request, slug)
    found = survey_round.departments.filter(code=code).first()
    if found is None:
        raise Http404
    if not permissions.has_perm(request.user, Perm.VIEW_PUBLISHED_SURVEY_SUMMARY, found):
        raise PermissionDenied
    group = selectors.published_summary_for(request.user, survey_round, found)
    if group is None:
        raise Http404
    items = [
        {"label": labels.indicator(n), "cell": _cell(n, (group.get("indicators") or {}).get(n))}
        for n in selectors.SUMMARY_INDICATORS
    ]
    return render(
        request,
        "surveys/results_summary.html",
        {
            "round": survey_round,
            "department": found,
            "group": group,
            "items": items,
            "barriers_chart": _flag_chart(group, "barriers", _("What holds residents back")),
            "wishes_chart": _flag_chart(group, "wishes", _("What residents would like")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The results as XLSX, as the user may see them. A round with more departments (that the
    user sees) than ``EXPORT_IN_BACKGROUND_ABOVE_DEPARTMENTS``: GET explains and offers a
    button; POST starts a private background job whose file only this user may fetch."""
    survey_round = _round(request, slug)
    outline = selectors.results_for_user(request.user, survey_round, include_breakdowns=False)
    if outline is None:
        if not survey_round.is_closed:
            raise Http404
        raise PermissionDenied
    if len(outline.departments) > tasks.EXPORT_IN_BACKGROUND_ABOVE_DEPARTMENTS:
        if request.method == "POST":
            return _export_in_background(request, survey_round)
        return render(
            request,
            "surveys/export_start.html",
            {"round": survey_round, "departments": len(outline.departments)},
        )
    view = selectors.results_for_user(request.user, survey_round)
    if view is None:
        raise PermissionDenied
    body = tasks.results_xlsx(survey_round, view.groups(), view.min_cell_size, None)
    response = HttpResponse(body, content_type=tasks.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="resultater-{survey_round.slug}.xlsx"'
    return response


def _export_in_background(request: HttpRequest, survey_round: SurveyRound) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    # The right to see results, held in the organisation (a coordinator) or in a department
    # (a board member); the task asks ``results_for_user`` again when it runs.
    target: Any = survey_round.organisation
    if not permissions.has_perm(request.user, Perm.VIEW_SURVEY_RESULTS, target):
        target = permissions.departments_for(
            request.user, Perm.VIEW_SURVEY_RESULTS, survey_round.organisation
        ).first()
    job = jobs.job_start(
        actor=request.user,
        organisation=survey_round.organisation,
        kind=tasks.EXPORT_JOB,
        perm=Perm.VIEW_SURVEY_RESULTS,
        target=target,
        task=tasks.results_export_task,
        args={"round_id": survey_round.pk},
        private=True,
    )
    return HttpResponseRedirect(reverse("job", args=[job.pk]))


@login_required
@login_required
@require_http_methods(["GET", "POST"])
def comments(request: HttpRequest, slug: str) -> HttpResponse:
    """Free text, for the organisation's coordinators only, with a notice and redaction."""
    survey_round = _round(request, slug)
    if not permissions.has_perm(request.user, Perm.VIEW_FREE_TEXT, survey_round.organisation):
        raise PermissionDenied
    if not survey_round.is_closed:  # free text only once the round is closed
        return _not_ready(request, survey_round)
    if request.method == "POST":
        comment = selectors.comment_in_round(survey_round, request.POST.get("comment", ""))
        if comment is None:
            raise Http404
        services.comment_redact(actor=request.user, comment=comment)
        return HttpResponseRedirect(reverse("surveys:comments", args=[slug]))
    return render(
        request,
        "surveys/comments.html",
        {"round": survey_round, "comments": selectors.comments_for(survey_round)},
    )
