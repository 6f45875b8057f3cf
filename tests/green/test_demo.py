"""The demo: a garden of 20 plots in Engparken with applicants from A1, A2 and the neighbouring
andelsboligforening, last season drawn, this season's renewals and lottery pending."""

from __future__ import annotations

from django.utils import timezone

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import Membership, Role, User
from lokalsamfund.green import rules, selectors
from lokalsamfund.green.demo import GARDEN, LAST_SEED
from lokalsamfund.green.models import ApplicationStatus, GreenGroup


def test_demo_garden(db: None) -> None:
    load_demo()
    load_demo()  # idempotent
    garden = GreenGroup.objects.get(name=GARDEN)
    assert garden.slug == "nyttehaver"
    assert garden.plots.count() == 20
    year = timezone.localdate().year
    last, this = garden.seasons.get(year=year - 1), garden.seasons.get(year=year)
    assert last.seed == LAST_SEED
    assert last.drawn_at is not None
    assert last.applications.filter(status=ApplicationStatus.ALLOCATED).count() == 20
    assert last.applications.filter(status=ApplicationStatus.WAITING).exists()
    assert this.drawn_at is None
    assert this.renewal_deadline is not None
    assert this.applications.filter(renewal=True, status=ApplicationStatus.ALLOCATED).count() == 14
    assert this.applications.filter(renewal=True, status=ApplicationStatus.OFFERED).count() == 6
    # Applicants from A1, A2 and the neighbouring andelsboligforening.
    memberships = Membership.objects.filter(user__plot_applications__season=this)
    codes = {d.code for m in memberships for d in m.departments.all()}
    assert {"A1", "A2"} <= codes
    assert memberships.filter(role=Role.NEIGHBOUR, neighbour_housing__isnull=False).exists()
    caretaker = User.objects.get(email="vicevaert@eksempel.dk")
    assert rules.may_manage(caretaker, garden)
    assert selectors.season_plan(garden, year) is not None
    assert garden.log_entries.get().photos.count() == 1
    assert GreenGroup.objects.filter(organisation=garden.organisation).count() == 2
