"""Second attack (docs/security.md): creating a round told whether another organisation had
a round with that short name (slugs are global), though its pages answer 404 for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.models import SurveyRound

pytestmark = pytest.mark.django_db


def _create(client: Client, organisation: Organisation, department: Department, slug: str) -> str:
    response = client.post(
        "/undersoegelser/ny/",
        {
            "organisation": organisation.pk,
            "slug": slug,
            "title": "Min runde",
            "departments": [department.pk],
            "opens_on": "2026-06-15",
            "closes_on": "2026-06-30",
            "min_cell_size": 5,
        },
    )
    assert response.status_code in {200, 302}
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_a_short_name_another_organisation_uses_does_not_tell_that_it_exists(
    client_for: Callable[[User | None], Client],
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    other_org: Organisation,
    other_dept: Department,
) -> None:
    services.round_create(
        actor=SYSTEM, organisation=org, slug="trivsel-2026", title="T", departments=[dept_a]
    )
    theirs = client_for(make_user(Role.COORDINATOR, other_org))
    location = _create(theirs, other_org, other_dept, "trivsel-2026")
    created = SurveyRound.objects.get(organisation=other_org)
    assert created.slug.startswith("trivsel-2026-")
    assert location == f"/undersoegelser/{created.slug}/"
    assert SurveyRound.objects.get(slug="trivsel-2026").organisation == org
    # Within one's own organisation the short name is refused, as before.
    ours = client_for(make_user(Role.COORDINATOR, org))
    page = _create(ours, org, dept_a, "trivsel-2026")
    assert "trivsel-2026" in page
    assert SurveyRound.objects.filter(organisation=org).count() == 1
