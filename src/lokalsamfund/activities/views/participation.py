"""Pages of the activities domain: participation.

- ``headcount``: the organiser's page for one occurrence, phone first: number fields with big
  − and + buttons that work without JavaScript (each button posts the form and comes back with
  the number changed; "Save" records it).
- ``participation``: figures per month and activity type for the organisation or one
  department (``activities.view_participation``; board members their departments only),
  through disclosure control, with CSV and XLSX export; and the exact counts of the activities
  the user organises.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokalsamfund.core import permissions, xlsx
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Perm

from .. import figures
from .. import permissions as rules
from ..models import Activity, Occurrence, SignUpStatus
from ..services import participation as services

FIELDS = ("total", "children", "adults", "seniors", "new_faces")


class HeadcountForm(forms.Form):
    total = forms.IntegerField(label=gettext_lazy("How many took part?"), min_value=0)
    children = forms.IntegerField(
        label=gettext_lazy("of them children (under 18)"), min_value=0, required=False
    )
    adults = forms.IntegerField(
        label=gettext_lazy("of them adults (18-64)"), min_value=0, required=False
    )
    seniors = forms.IntegerField(
        label=gettext_lazy("of them seniors (65 and over)"), min_value=0, required=False
    )
    new_faces = forms.IntegerField(
        label=gettext_lazy("of them here for the first time"), min_value=0, required=False
    )


def _stepped(data: Any, step: str) -> dict[str, Any]:
    """The posted numbers with one of them moved by a − or + button ("total:+1")."""
    values = {name: data.get(name, "") for name in FIELDS}
    name, _sep, delta = step.partition(":")
    if name in FIELDS and delta in ("+1", "-1"):
        try:
            current = int(values[name] or 0)
        except ValueError:
            current = 0
        values[name] = str(max(0, current + int(delta)))
    return values


def _occurrence_for(user: User, occurrence_id: int) -> Occurrence:
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("activity__organisation"), pk=occurrence_id
    )
    if not rules.may_view(user, occurrence.activity):
        raise Http404
    if not services.may_record(user, occurrence):
        raise PermissionDenied
    return occurrence


@login_required
def headcount(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    occurrence = _occurrence_for(user, occurrence_id)
    existing = getattr(occurrence, "headcount", None)
    started = occurrence.starts_at <= timezone.now()
    if request.method == "POST" and "step" in request.POST:
        form = HeadcountForm(initial=_stepped(request.POST, request.POST["step"]))
    elif request.method == "POST":
        form = HeadcountForm(request.POST)
        if form.is_valid():
            try:
                services.headcount_record(actor=user, occurrence=occurrence, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you: the headcount is saved."))
                return redirect("activities:headcount", occurrence_id=occurrence.pk)
    elif existing is not None:
        form = HeadcountForm(initial={name: getattr(existing, name) for name in FIELDS})
    else:
        form = HeadcountForm()
    signed_up = (
        occurrence.signed_up_count
        if occurrence.names_deleted_at
        else sum(s.places for s in occurrence.signups.all() if s.status == SignUpStatus.CONFIRMED)
    )
    show_optional = any(form[name].value() not in (None, "") for name in FIELDS[1:]) or any(
        form.errors.get(name) for name in FIELDS[1:]
    )
    return render(
        request,
        "activities/headcount.html",
        {
            "show_optional": show_optional,
            "occurrence": occurrence,
            "activity": occurrence.activity,
            "form": form,
            "existing": existing,
            "started": started,
            "signed_up": signed_up,
        },
    )


def _scopes(user: User) -> list[tuple[str, str, Organisation, Department | None]]:
    """(value, label, organisation, department) the user may see figures of."""
    out: list[tuple[str, str, Organisation, Department | None]] = []
    for organisation in permissions.organisations_for(user, Perm.VIEW_PARTICIPATION):
        if permissions.has_perm(user, Perm.VIEW_PARTICIPATION, organisation):
            out.append((f"org-{organisation.pk}", organisation.name, organisation, None))
    for department in permissions.departments_for(user, Perm.VIEW_PARTICIPATION):
        label = f"{department.code} {department.name}"
        if len({o for _v, _l, o, _d in out}) > 1:
            label = f"{department.organisation.name}: {label}"
        out.append((f"dept-{department.pk}", label, department.organisation, department))
    return out


def _own_organisations(user: User) -> list[Organisation]:
    ids = Activity.objects.filter(organisers=user).values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=set(ids)))


def _columns(report: figures.Report) -> list[xlsx.Column]:
    return [
        xlsx.Column(_("Month"), explanation=_("The month the activities were held."), width=10),
        xlsx.Column(
            _("Activity type"),
            explanation=_("The decision tool's activity type; empty = all types."),
            width=28,
        ),
        xlsx.Column(
            _("Times held"), xlsx.Kind.INTEGER, _("Occurrences held with a headcount."), 10
        ),
        xlsx.Column(
            _("Attendances"),
            xlsx.Kind.INTEGER,
            _("The sum of the headcounts: a person who came twice counts twice."),
            12,
        ),
        xlsx.Column(
            _("Average per time"), xlsx.Kind.DECIMAL, _("Attendances divided by times held."), 12
        ),
        xlsx.Column(
            _("New faces"),
            xlsx.Kind.INTEGER,
            _("Here for the first time, where the organiser counted it."),
            10,
        ),
        xlsx.Column(
            _("Hidden"),
            xlsx.Kind.BOOLEAN,
            _("Yes when the figures are hidden because too few took part (privacy)."),
            8,
        ),
    ]


def _export_rows(report: figures.Report) -> list[list[Any]]:
    return [
        [
            row["month"],
            report.names.get(row["activity_type"], row["activity_type"]),
            row["sessions"],
            row["attendances"],
            row["average"],
            row["new_faces"],
            row["suppressed"],
        ]
        for row in report.flat_rows()
    ]


def _filename(report: figures.Report, ext: str) -> str:
    where = report.department.code if report.department else report.organisation.slug
    return f"deltagelse-{where}-{report.first}-{report.last}.{ext}"


def export_csv(report: figures.Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.heading for c in _columns(report)])
    for row in _export_rows(report):
        writer.writerow([xlsx.csv_text(v) for v in row])
    return out.getvalue()


def export_xlsx(report: figures.Report) -> bytes:
    book = xlsx.ExportWorkbook()
    book.add_sheet(_("Participation"), _columns(report), _export_rows(report))
    where = report.department or report.organisation
    book.add_facts(
        _("About the figures"),
        [
            (_("Where"), str(where), xlsx.Kind.TEXT),
            (_("From month"), report.first, xlsx.Kind.TEXT),
            (_("To month"), report.last, xlsx.Kind.TEXT),
            (_("Smallest figure shown"), report.k, xlsx.Kind.INTEGER),
            (
                _("Note"),
                _(
                    "Headcounts count attendances, not different people. Figures of fewer "
                    "participants than the smallest figure shown are hidden (empty), with "
                    "complementary suppression."
                ),
                xlsx.Kind.TEXT,
            ),
        ],
    )
    return book.to_bytes()


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    scopes = _scopes(user)
    own_orgs = _own_organisations(user)
    if not scopes and not own_orgs:
        raise PermissionDenied
    default_first, default_last = figures.default_range()
    first = request.GET.get("fra") or default_first
    last = request.GET.get("til") or default_last
    chosen = request.GET.get("omfang") or (scopes[0][0] if scopes else "")
    scope = next((s for s in scopes if s[0] == chosen), None)
    if chosen and scope is None:
        raise PermissionDenied
    report = None
    error = ""
    if scope is not None:
        try:
            report = figures.report(
                actor=user, organisation=scope[2], department=scope[3], first=first, last=last
            )
        except DomainError as exc:
            error = exc.message
    fmt = request.GET.get("format")
    if report is not None and fmt == "csv":
        response = HttpResponse(export_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
        return response
    if report is not None and fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
        return response
    own = []
    if not error:
        try:
            for organisation in own_orgs:
                own += figures.own_figures(
                    user=user, organisation=organisation, first=first, last=last
                )
        except DomainError as exc:
            error = exc.message
    rows = []
    if report is not None:
        rows = [
            {
                "month": m["month"],
                "total": m["total"],
                "cells": [m["types"][t] for t in report.types],
            }
            for m in report.months
        ]
    return render(
        request,
        "activities/participation.html",
        {
            "scopes": [(v, label) for v, label, _o, _d in scopes],
            "chosen": chosen,
            "first": first,
            "last": last,
            "report": report,
            "type_names": [report.names.get(t, t) for t in report.types] if report else [],
            "rows": rows,
            "own": own,
            "error": error,
        },
    )


urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "aktiviteter/tid/<int:occurrence_id>/deltagere/",
        headcount,
        name="headcount",
    ),
    path("aktiviteter/deltagelse/", participation, name="participation"),
]
