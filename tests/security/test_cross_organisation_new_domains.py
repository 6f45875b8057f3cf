"""Cross-organisation IDOR in the newest domains (third attack): every persona of ``org``
tries the ids, references and URLs of a second organisation's activities, sign-ups,
referrals, green groups and background jobs, by page and by API. Each answers 404 (the thing's
existence does not leak) and nothing of the second organisation changes (no audit entry, no
state changed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.utils import timezone

from lokalsamfund.activities.models import Occurrence, SignUp
from lokalsamfund.activities.services import signups as signup_services
from lokalsamfund.core.job_models import Job
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM, Perm
from lokalsamfund.green import services as green
from lokalsamfund.green.models import GreenGroup, GroupKind, Season
from lokalsamfund.network.models import SharedRound
from lokalsamfund.surveys.models import SurveyRound
from lokalsamfund.wellbeing.models import IdentityBasis, Observation, Referral, Urgency
from lokalsamfund.wellbeing.services.referrals import referral_create
from tests.surveys.conftest import add_responses, make_closed_round, make_round  # noqa: F401

from ..activities.factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]

ATTACKERS = [
    "admin",
    "coordinator",
    "caretaker",
    "board_member",
    "resident",
    "neighbour",
    "association",
    "social_worker",
    "data_protection",
]


@dataclass
class Foreign:
    """What the second organisation holds."""

    organisation: Organisation
    occurrence: Occurrence
    signup: SignUp
    referral: Referral
    group: GreenGroup
    season: Season
    job: Job

    def snapshot(self) -> tuple[Any, ...]:
        signup = SignUp.objects.get(pk=self.signup.pk)
        referral = Referral.objects.get(pk=self.referral.pk)
        occurrence = Occurrence.objects.get(pk=self.occurrence.pk)
        return (
            AuditEntry.objects.filter(organisation=self.organisation).count(),
            SignUp.objects.filter(occurrence__activity__organisation=self.organisation).count(),
            signup.status,
            signup.places,
            referral.status,
            referral.assigned_to_id,
            occurrence.starts_at,
            occurrence.cancelled_at if hasattr(occurrence, "cancelled_at") else None,
            occurrence.activity.title,
            occurrence.activity.status,
            self.group.members.count() if hasattr(self.group, "members") else None,
            Job.objects.filter(pk=self.job.pk, downloaded_at__isnull=True).count()
            if hasattr(Job, "downloaded_at")
            else None,
        )


@pytest.fixture
def foreign(
    settings: Any,
    make_user: Callable[..., User],
    other_org: Organisation,
    other_dept: Department,
    outsider: User,
) -> Foreign:
    settings.LOKALSAMFUND_FIELD_KEYS = [Fernet.generate_key().decode()]
    resident = make_user(Role.RESIDENT, other_org, [other_dept])
    caretaker = make_user(Role.CARETAKER, other_org, [other_dept])
    activity = make_activity(
        [other_dept],
        organisers=[resident],
        starts_at=timezone.now() + timedelta(days=10),
    )
    occurrence = make_occurrence(activity)
    signup = signup_services.signup_create(occurrence=occurrence, actor=resident).signup
    referral = referral_create(
        actor=caretaker,
        department=other_dept,
        observations=[Observation.POST_PILING_UP],
        urgency=Urgency.SOON,
        identity_basis=IdentityBasis.NOT_NAMED,
    )
    group = green.group_create(
        actor=SYSTEM,
        organisation=other_org,
        departments=[other_dept],
        name="Fremmedhaven",
        kind=GroupKind.GARDEN,
    )
    season = green.season_open(
        actor=SYSTEM,
        group=group,
        year=timezone.localdate().year,
        deadline=timezone.localdate() + timedelta(days=30),
    )
    now = timezone.now()
    job = Job.objects.create(
        owner=outsider,
        organisation=other_org,
        kind="surveys.export",
        perm=str(Perm.MANAGE_SURVEYS),
        language="da",
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(days=7),
    )
    return Foreign(other_org, occurrence, signup, referral, group, season, job)


@pytest.fixture
def attackers(
    personas: dict[str, User], make_user: Callable[..., User], org: Organisation
) -> dict[str, User]:
    return {
        **personas,
        "social_worker": make_user(Role.SOCIAL_WORKER, org),
        "data_protection": make_user(Role.DATA_PROTECTION, org),
    }


def _pages(f: Foreign) -> list[tuple[str, str, dict[str, Any]]]:
    activity = f.occurrence.activity_id
    occurrence = f.occurrence.pk
    ref = f.referral.reference
    group = f.group.pk
    return [
        ("get", f"/aktiviteter/{activity}/", {}),
        ("get", f"/aktiviteter/{activity}/plakat.pdf", {}),
        ("get", f"/aktiviteter/{activity}/rediger/", {}),
        ("post", f"/aktiviteter/{activity}/rediger/", {"title": "Overtaget"}),
        ("get", f"/aktiviteter/{activity}/datoer/", {}),
        ("post", f"/aktiviteter/{activity}/status/", {"status": "cancelled"}),
        ("post", f"/aktiviteter/{activity}/beslut/", {"decision": "approve"}),
        ("post", f"/aktiviteter/tid/{occurrence}/aflys/", {"reason": "x"}),
        ("post", f"/aktiviteter/tid/{occurrence}/flyt/", {"starts_at": "2030-01-01T10:00"}),
        ("post", f"/aktiviteter/tid/{occurrence}/note/", {"note": "x"}),
        ("get", f"/aktiviteter/tid/{occurrence}/tilmelding/", {}),
        ("post", f"/aktiviteter/tid/{occurrence}/tilmeld/", {"places": "1"}),
        ("post", f"/aktiviteter/tid/{occurrence}/afmeld/", {}),
        ("get", f"/aktiviteter/tid/{occurrence}/tilmeld-andre/", {}),
        ("post", f"/aktiviteter/tid/{occurrence}/tilmeld-andre/", {"name": "X", "places": "1"}),
        ("get", f"/aktiviteter/tid/{occurrence}/tilmeldte/", {}),
        ("get", f"/aktiviteter/tid/{occurrence}/deltagere/", {}),
        ("post", f"/aktiviteter/tid/{occurrence}/deltagere/", {"count": "3"}),
        ("post", f"/aktiviteter/tilmelding/{f.signup.pk}/afmeld/", {}),
        ("get", f"/referrals/r/{ref}/", {}),
        ("post", f"/referrals/r/{ref}/take/", {}),
        ("post", f"/referrals/r/{ref}/record/", {"kind": "note", "text": "x"}),
        ("post", f"/referrals/r/{ref}/reassign/", {"to": "1"}),
        ("post", f"/referrals/r/{ref}/close/", {"reason": "x"}),
        ("get", f"/groenne/{group}/", {}),
        ("post", f"/groenne/{group}/meld-ind/", {}),
        ("post", f"/groenne/{group}/meld-ud/", {}),
        ("get", f"/groenne/{group}/ansoeg/", {}),
        ("post", f"/groenne/{group}/ansoeg/", {"season": str(f.season.pk)}),
        ("get", f"/groenne/{group}/min-plads/", {}),
        ("get", f"/groenne/{group}/fordeling/", {}),
        ("post", f"/groenne/{group}/fordeling/", {"action": "lottery"}),
        ("get", f"/henvendelser/statistik/{f.organisation.slug}/", {}),
        ("get", f"/henvendelser/rettigheder/{f.organisation.slug}/", {}),
        (
            "post",
            f"/henvendelser/rettigheder/{f.organisation.slug}/udlevering/",
            {"reference": "x"},
        ),
        ("post", f"/henvendelser/rettigheder/{f.organisation.slug}/sletning/", {"reference": "x"}),
        ("get", f"/netvaerk/afdeling/{f.organisation.slug}/X1/", {}),
        ("get", f"/job/{f.job.pk}/", {}),
        ("get", f"/job/{f.job.pk}/hent/", {}),
    ]


def _api(f: Foreign, user: User) -> list[tuple[str, str, dict[str, Any]]]:
    occurrence = f.occurrence.pk
    ref = f.referral.reference
    return [
        ("get", f"/api/v1/activities/{f.occurrence.activity_id}", {}),
        ("patch", f"/api/v1/activities/{f.occurrence.activity_id}", {"title": "Overtaget"}),
        ("put", f"/api/v1/activities/{f.occurrence.activity_id}", {"title": "Overtaget"}),
        ("post", f"/api/v1/activities/occurrences/{occurrence}/signups", {"places": 1}),
        (
            "post",
            f"/api/v1/activities/occurrences/{occurrence}/signups/on-behalf",
            {"name": "X", "places": 1},
        ),
        ("post", f"/api/v1/activities/occurrences/{occurrence}/signups/cancel", {}),
        ("post", f"/api/v1/activity-signups/{f.signup.pk}/cancel", {}),
        ("post", f"/api/v1/activities/occurrences/{occurrence}/headcount", {"total": 3}),
        ("get", f"/api/v1/network/benchmark?department=X1&organisation={f.organisation.slug}", {}),
        ("get", f"/api/v1/referrals/{ref}", {}),
        ("post", f"/api/v1/referrals/{ref}/take", {}),
        ("post", f"/api/v1/referrals/{ref}/steps", {"kind": "note", "text": "x"}),
        ("post", f"/api/v1/referrals/{ref}/reassign", {"to": user.email}),
        ("post", f"/api/v1/referrals/{ref}/close", {"outcome": "no_action"}),
    ]


@pytest.mark.parametrize("who", ATTACKERS)
def test_pages_of_another_organisation_are_not_found(
    who: str,
    attackers: dict[str, User],
    foreign: Foreign,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(attackers[who])
    before = foreign.snapshot()
    answers = {
        f"{method.upper()} {url}": getattr(client, method)(url, data).status_code
        for method, url, data in _pages(foreign)
    }
    assert {k: v for k, v in answers.items() if v != 404} == {}
    assert foreign.snapshot() == before


@pytest.mark.parametrize("who", ATTACKERS)
def test_api_of_another_organisation_is_not_found(
    who: str, attackers: dict[str, User], foreign: Foreign, api_for: Callable[..., Any]
) -> None:
    api = api_for(attackers[who])
    before = foreign.snapshot()
    answers = {
        f"{method.upper()} {url}": (
            api.get(url) if method == "get" else getattr(api, method)(url, data)
        ).status_code
        for method, url, data in _api(foreign, attackers[who])
    }
    # 405: a method the endpoint does not have (says nothing of the id).
    assert {k: v for k, v in answers.items() if v not in (404, 405)} == {}
    assert list(answers.values()).count(404) >= len(answers) - 1
    assert foreign.snapshot() == before


def test_the_same_addresses_work_for_the_second_organisation_itself(
    foreign: Foreign,
    outsider: User,
    client_for: Callable[[User | None], Client],
    api_for: Callable[..., Any],
) -> None:
    """The control: the addresses above are right, so their 404 is the organisation's wall."""
    client = client_for(outsider)
    activity = foreign.occurrence.activity_id
    occurrence = foreign.occurrence.pk
    assert client.get(f"/aktiviteter/{activity}/").status_code == 200
    assert client.get(f"/aktiviteter/{activity}/rediger/").status_code == 200
    assert client.get(f"/aktiviteter/tid/{occurrence}/tilmeldte/").status_code == 200
    assert client.get(f"/groenne/{foreign.group.pk}/").status_code == 200
    assert client.get(f"/groenne/{foreign.group.pk}/fordeling/").status_code == 200
    assert client.get(f"/job/{foreign.job.pk}/").status_code == 200
    assert api_for(outsider).get(f"/api/v1/activities/{activity}").status_code == 200


@pytest.mark.parametrize("who", ATTACKERS)
def test_another_organisations_round_is_not_shared_nor_told(
    who: str,
    attackers: dict[str, User],
    other_org: Organisation,
    other_dept: Department,
    make_closed_round: Callable[..., SurveyRound],  # noqa: F811 - the fixture imported above
    client_for: Callable[[User | None], Client],
) -> None:
    """Sharing a round by its slug: another organisation's closed round answers as a slug
    that does not exist (404), and is not shared."""
    foreign_round = make_closed_round(other_org, [other_dept], {"X1": 30}, slug="fremmed-runde")
    client = client_for(attackers[who])
    for action in ("share", "stop"):
        response = client.post(f"/netvaerk/deling/{foreign_round.slug}/", {"action": action})
        missing = client.post("/netvaerk/deling/findes-ikke/", {"action": action})
        assert (response.status_code, missing.status_code) == (404, 404)
    assert not SharedRound.objects.filter(survey_round=foreign_round).exists()
