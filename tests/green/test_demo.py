"""The demo: a garden of A1 and A2 open to neighbours, its lottery pending, and a compost group."""

from __future__ import annotations

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.models import User
from lokalsamfund.green import rules
from lokalsamfund.green.demo import GARDEN
from lokalsamfund.green.models import GreenGroup


def test_demo_garden(db: None) -> None:
    load_demo()
    load_demo()  # idempotent
    garden = GreenGroup.objects.get(name=GARDEN)
    assert garden.plots.count() == 12
    season = garden.seasons.get()
    assert season.drawn_at is None
    assert season.applications.count() == 2
    caretaker = User.objects.get(email="vicevaert@eksempel.dk")
    assert rules.may_manage(caretaker, garden)
    assert GreenGroup.objects.filter(organisation=garden.organisation).count() == 2
