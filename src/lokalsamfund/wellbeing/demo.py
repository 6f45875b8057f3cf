"""Demo data of the referrals: a social worker (``socialraadgiver@eksempel.dk``, password
``demo``), the organisation's acute numbers, and referrals by the demo caretaker
(``vicevaert@eksempel.dk``) in every state: received (one acute, one where a child may be
affected), being handled with steps, reassigned, and closed with an outcome.

The residents are invented. Names, addresses and texts are sealed with the field keys, so they
are added only when ``LOKALSAMFUND_FIELD_KEYS`` is set; without keys the referrals name no one
and the steps carry no text. Idempotent: nothing is added once the caretaker has referrals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from lokalsamfund.core.demo import DEMO_PASSWORD, DemoContext
from lokalsamfund.core.models import Membership, Role, User

from .models import EventKind, IdentityBasis, Observation, Outcome, Referral, Urgency
from .models import WellbeingSettings as Settings
from .services import referrals as services

SOCIAL_WORKER = ("socialraadgiver@eksempel.dk", "Sofie Socialrådgiver")
COLLEAGUE = ("socialraadgiver2@eksempel.dk", "Jonas Boligsocial")


def _social_worker(ctx: DemoContext, email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, email_verified=True)
    Membership.objects.get_or_create(
        user=user, organisation=ctx.organisation, role=Role.SOCIAL_WORKER
    )
    return user


def load(ctx: DemoContext) -> None:
    worker = _social_worker(ctx, *SOCIAL_WORKER)
    colleague = _social_worker(ctx, *COLLEAGUE)
    Settings.objects.get_or_create(
        organisation=ctx.organisation,
        defaults={"acute_numbers": "Boligselskabets vagttelefon: 70 20 30 40 (hele døgnet)"},
    )
    caretaker = ctx.users[Role.CARETAKER.value]
    ctx.say(f"Social worker: {SOCIAL_WORKER[0]} (password '{DEMO_PASSWORD}')")
    if Referral.objects.filter(organisation=ctx.organisation, referred_by=caretaker).exists():
        return
    keys = bool(settings.LOKALSAMFUND_FIELD_KEYS)
    now = timezone.now()
    a1, a2 = ctx.departments["A1"], ctx.departments["A2"]

    def named(name: str, address: str, text: str) -> dict[str, Any]:
        if not keys:
            return {"identity_basis": IdentityBasis.NOT_NAMED}
        return {
            "identity_basis": IdentityBasis.CONSENT,
            "resident_name": name,
            "resident_address": address,
            "free_text": text,
        }

    def note(text: str) -> str:
        return text if keys else ""

    # Received: an acute risk (named on vital interests when keys are set), and a child.
    vital: dict[str, Any] = {
        "identity_basis": IdentityBasis.VITAL_INTERESTS,
        "resident_name": "Erik Eksempel",
        "resident_address": "Engparken 31, st. tv.",
        "identity_reason": "Svarer ikke på døren, posten er ikke taget i ni dage.",
    }
    services.referral_create(
        actor=caretaker,
        department=a1,
        observations=[Observation.NOT_SEEN, Observation.POST_PILING_UP],
        urgency=Urgency.ACUTE,
        **(vital if keys else {}),
        now=now - timedelta(hours=1),
    )
    services.referral_create(
        actor=caretaker,
        department=a2,
        observations=[Observation.CONFLICT, Observation.NEGLECT_HOME],
        urgency=Urgency.SOON,
        child_affected=True,
        now=now - timedelta(hours=3),
    )
    # Being handled: taken, a contact recorded.
    handled = services.referral_create(
        actor=caretaker,
        department=a1,
        observations=[Observation.ISOLATED],
        urgency=Urgency.WHEN_POSSIBLE,
        consent_to_contact=True,
        **named("Inger Prøve", "Engparken 8, 2. th.", "Virker ensom, spurgte til fællesspisning."),
        now=now - timedelta(days=4),
    )
    services.referral_take(actor=worker, referral=handled, now=now - timedelta(days=3))
    if keys:
        services.referral_record(
            actor=worker,
            referral=handled,
            kind=EventKind.CONTACT,
            text="Ringet op; aftalt besøg i næste uge.",
            now=now - timedelta(days=3),
        )
    # Reassigned while the first social worker is away.
    away = services.referral_create(
        actor=caretaker,
        department=a2,
        observations=[Observation.ASKED_FOR_HELP],
        urgency=Urgency.SOON,
        consent_to_contact=True,
        **named("Hans Demo", "Skovbrynet 4, 1. tv.", "Bad om hjælp til at kontakte kommunen."),
        now=now - timedelta(days=2),
    )
    services.referral_take(actor=worker, referral=away, now=now - timedelta(days=2))
    services.referral_reassign(
        actor=worker, referral=away, to=colleague, now=now - timedelta(days=1)
    )
    # Closed with an outcome.
    closed = services.referral_create(
        actor=caretaker,
        department=a1,
        observations=[Observation.NEGLECT_SELF, Observation.POST_PILING_UP],
        urgency=Urgency.SOON,
        consent_to_contact=True,
        **named(
            "Karen Fiktiv",
            "Engparken 22, 3. mf.",
            "Går sjældent ud; skraldet hober sig op på altanen.",
        ),
        now=now - timedelta(days=20),
    )
    services.referral_take(actor=worker, referral=closed, now=now - timedelta(days=19))
    services.referral_close(
        actor=worker,
        referral=closed,
        outcome=Outcome.REFERRED_MUNICIPALITY,
        note=note("Henvist til kommunens hjemmepleje med samtykke."),
        now=now - timedelta(days=12),
    )
    ctx.say("Referrals by the caretaker: 2 received, 2 being handled, 1 closed")
