"""Pages of the green groups: the list, a group's page, join and leave, applying for a plot,
the applicant's place (renew, decline, give back) and the contacts' allocation page. Phone
first; every write goes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import User

from .. import rules, selectors, services
from ..forms import ApplyForm, SeasonOpenForm, TakeBackForm
from ..models import (
    AllocationRule,
    ApplicationStatus,
    GreenGroup,
    GroupMember,
    PlotApplication,
    Season,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by login_required
    return user


def _group(request: HttpRequest, pk: int) -> GreenGroup:
    group = selectors.visible_group(request.user, pk)
    if group is None:
        raise Http404
    return group


def _season(group: GreenGroup) -> Season:
    season = selectors.current_season(group)
    if season is None:
        raise Http404
    return season


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    groups = selectors.groups_visible_to(user)
    member_of = set(GroupMember.objects.filter(user=user).values_list("group_id", flat=True))
    return render(
        request,
        "green/groups.html",
        {"groups": groups, "member_of": member_of, "may_create": rules.may_create_group(user)},
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    manages = rules.may_manage(user, group)
    season = selectors.current_season(group)
    today = timezone.localdate()
    return render(
        request,
        "green/group.html",
        {
            "group": group,
            "may_read_log": rules.may_read_log(user, group),
            "news": selectors.news_of(group, limit=5),
            "season_plan": selectors.season_plan(group, today.year),
            "site_plan": selectors.has_site_plan(group),
            "year": today.year,
            "is_member": rules.is_member(user, group),
            "may_join": rules.may_join(user, group),
            "manages": manages,
            "member_count": group.members.count(),
            "member_names": selectors.member_names(group) if manages else [],
            "activities": selectors.group_activities(user, group),
            "season": season,
            "application": selectors.my_application(user, season),
            "plots": selectors.plots_with_holders(None, group),
            "mapped": [p for p in group.plots.all() if p.map_x is not None],
            "contacts": list(group.resident_contacts.all()),
        },
    )


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    try:
        services.member_join(actor=_user(request), group=group)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Welcome to %(group)s.") % {"group": group})
    return redirect("green:group", pk=group.pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    try:
        services.member_leave(actor=_user(request), group=group)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have left %(group)s.") % {"group": group})
    return redirect("green:group", pk=group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    season = _season(group)
    if not rules.is_member(user, group):
        messages.error(request, _("Join the group before you apply for a plot."))
        return redirect("green:group", pk=group.pk)
    if selectors.my_application(user, season) is not None:
        return redirect("green:my_place", pk=group.pk)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply(actor=user, season=season, own_garden=form.cleaned_data["own_garden"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your application has been received."))
            return redirect("green:my_place", pk=group.pk)
    return render(request, "green/apply.html", {"group": group, "season": season, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_place(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    season = _season(group)
    application = selectors.my_application(user, season)
    if application is None:
        return redirect("green:group", pk=group.pk)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                services.offer_accept(actor=user, application=application)
                messages.success(request, _("The plot is yours this season."))
            elif request.POST.get("answer") == "decline":
                services.offer_decline(actor=user, application=application)
                messages.success(request, _("You have declined the plot."))
            elif request.POST.get("answer") == "give_back":
                services.plot_give_back(actor=user, application=application)
                messages.success(
                    request, _("You have given the plot back. Thank you for saying so.")
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("green:my_place", pk=group.pk)
    return render(
        request,
        "green/my_place.html",
        {
            "group": group,
            "season": season,
            "application": application,
            "place": selectors.place_of(application),
            "statuses": ApplicationStatus,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    if not rules.may_manage(user, group):
        raise Http404
    season = selectors.current_season(group)
    season_form = SeasonOpenForm(request.POST if request.POST.get("action") == "season" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "season" and season_form.is_valid():
                services.season_open(
                    actor=user,
                    group=group,
                    year=season_form.cleaned_data["year"],
                    deadline=season_form.cleaned_data["deadline"],
                    renewal_deadline=season_form.cleaned_data["renewal_deadline"],
                )
                messages.success(request, _("The season is open for applications."))
            elif action == "renewals" and season is not None:
                lapsed = services.renewals_close(actor=user, season=season)
                messages.success(
                    request,
                    _("Renewals closed: %(count)s plot(s) freed.") % {"count": lapsed},
                )
            elif action == "take_back" and season is not None:
                pk_text = request.POST.get("application", "")
                if not pk_text.isdigit():
                    raise Http404
                application = get_object_or_404(PlotApplication, season=season, pk=int(pk_text))
                form = TakeBackForm(request.POST)
                if not form.is_valid():
                    raise DomainError(
                        _("Say why the plot is taken back (e.g. it is not cultivated).")
                    )
                _taken, offer = services.plot_give_back(
                    actor=user, application=application, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("The plot has been taken back and offered to application no. %(ticket)s.")
                    % {"ticket": offer.ticket}
                    if offer
                    else _("The plot has been taken back; no one is waiting for it."),
                )
            elif action == "lottery" and season is not None:
                services.lottery_run(actor=user, season=season)
                messages.success(request, _("The lottery has been drawn."))
            elif action == "offer" and season is not None:
                offered = services.offer_next(actor=user, season=season)
                messages.success(
                    request,
                    _("Plot %(plot)s offered to application no. %(ticket)s.")
                    % {"plot": offered.plot, "ticket": offered.ticket},
                )
            if action != "season" or season_form.is_valid():
                return redirect("green:allocation", pk=group.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("green:allocation", pk=group.pk)
    return render(
        request,
        "green/allocation.html",
        {
            "group": group,
            "season": season,
            "season_form": season_form,
            "rows": selectors.allocation_rows(season) if season else [],
            "plots": selectors.plots_with_holders(season, group),
            "lottery": group.allocation_rule == AllocationRule.LOTTERY,
            "free": len(services.free_plots(season)) if season else 0,
        },
    )
