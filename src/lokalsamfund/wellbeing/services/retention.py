"""Retention of referrals: delete closed referrals after the organisation's period, flag open
ones nobody has touched.

``retention_run`` is what ``lokalsamfund retention run [--dry-run]`` does (cron-able and
idempotent: a second run at the same moment deletes nothing). A referral closed at least
``retention_days`` ago (``WellbeingSettings``, default 90) is deleted with its steps; its audit
entries are replaced by one entry of counts per organisation and run (how many entries of which
action, never who read what); its counts by department, quarter, observation and outcome go to
``ReferralTally`` so that statistics outlive it; a ``ReferralErasure`` records that deletion
happened. What the run reports names organisations and counts, never a resident or a reference.

Open referrals without activity for ``stale_after_days`` (default 14) are flagged to the social
workers who may handle them: one e-mail per run that says how many, with a link to the queue,
nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import AuditEntry, Organisation, User
from lokalsamfund.core.permissions import Actor, Perm

from ..models import (
    Referral,
    ReferralErasure,
    ReferralEvent,
    ReferralStatus,
    ReferralTally,
    WellbeingSettings,
)

REFERRAL_TYPE = Referral._meta.label_lower  # "wellbeing.referral" in AuditEntry.object_type
EVENT_TYPE = ReferralEvent._meta.label_lower


def settings_for(organisation: Organisation) -> WellbeingSettings:
    """The organisation's rules, or the defaults (unsaved) when it has none."""
    found = WellbeingSettings.objects.filter(organisation=organisation).first()
    return found if found is not None else WellbeingSettings(organisation=organisation)


def quarter_of(moment: datetime) -> date:
    """The first day of the quarter of ``moment`` in local time."""
    day = timezone.localtime(moment).date()
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class Deletion:
    """What deleting some referrals did: counts only."""

    referrals: int = 0
    audit_entries: int = 0
    actions: dict[str, int] = field(default_factory=dict)


def _tally(referrals: Iterable[Referral]) -> None:
    """Add the referrals' counts to ``ReferralTally`` (before they are deleted)."""
    counts: Counter[tuple[int, int, date, str, str]] = Counter()
    for referral in referrals:
        key = (referral.organisation_id, referral.department_id, quarter_of(referral.created_at))
        counts[(*key, ReferralTally.Dimension.TOTAL, "")] += 1
        for observation in set(referral.observations or []):
            counts[(*key, ReferralTally.Dimension.OBSERVATION, str(observation))] += 1
        counts[(*key, ReferralTally.Dimension.OUTCOME, referral.outcome or "open")] += 1
    for (organisation_id, department_id, quarter, dimension, value), n in counts.items():
        tally, _created = ReferralTally.objects.get_or_create(
            department_id=department_id,
            quarter=quarter,
            dimension=dimension,
            value=value,
            defaults={"organisation_id": organisation_id},
        )
        ReferralTally.objects.filter(pk=tally.pk).update(count=F("count") + n)


def delete_referrals(
    *,
    actor: Actor,
    organisation: Organisation,
    referrals: list[Referral],
    reason: str,
    now: datetime,
) -> Deletion:
    """Delete ``referrals`` (all of ``organisation``) with their steps; reduce their audit
    entries to counts; keep their statistics as tallies; record a ``ReferralErasure``.
    The caller checks rights and holds the transaction."""
    if not referrals:
        return Deletion()
    if any(r.organisation_id != organisation.pk for r in referrals):
        raise ValueError("referrals of another organisation")
    referral_ids = [r.pk for r in referrals]
    event_ids = list(
        ReferralEvent.objects.filter(referral_id__in=referral_ids).values_list("pk", flat=True)
    )
    entries = AuditEntry.objects.filter(
        object_type=REFERRAL_TYPE, object_id__in=[str(pk) for pk in referral_ids]
    ) | AuditEntry.objects.filter(
        object_type=EVENT_TYPE, object_id__in=[str(pk) for pk in event_ids]
    )
    actions = Counter(entries.values_list("action", flat=True))
    AuditEntry.objects.filter(pk__in=list(entries.values_list("pk", flat=True))).delete()
    _tally(referrals)
    Referral.objects.filter(pk__in=referral_ids).delete()
    ReferralErasure.objects.create(
        organisation=organisation,
        reason=reason,
        count=len(referral_ids),
        by=actor if isinstance(actor, User) else None,
        at=now,
    )
    return Deletion(
        referrals=len(referral_ids),
        audit_entries=sum(actions.values()),
        actions=dict(sorted(actions.items())),
    )


def due_for_deletion(organisation: Organisation, *, now: datetime) -> list[Referral]:
    """Closed referrals whose retention period has ended at ``now``."""
    days = settings_for(organisation).retention_days
    return list(
        Referral.objects.filter(
            organisation=organisation,
            status=ReferralStatus.CLOSED,
            closed_at__lte=now - timedelta(days=days),
        ).order_by("pk")
    )


def stale_referrals(organisation: Organisation, *, now: datetime) -> list[Referral]:
    """Open referrals nobody has touched for the organisation's ``stale_after_days``."""
    days = settings_for(organisation).stale_after_days
    return list(
        Referral.objects.filter(
            organisation=organisation, last_activity_at__lte=now - timedelta(days=days)
        )
        .exclude(status=ReferralStatus.CLOSED)
        .select_related("department")
        .order_by("pk")
    )


@dataclass
class OrganisationRetention:
    """One organisation's part of a run (counts only)."""

    organisation: str
    retention_days: int
    stale_after_days: int
    deleted: Deletion
    stale: int
    notified: int


def _queue_link() -> str:
    try:
        path = reverse("wellbeing:queue")
    except NoReverseMatch:
        path = "/"
    return django_settings.LOKALSAMFUND_BASE_URL.rstrip("/") + path


def _flag_stale(*, organisation: Organisation, stale: list[Referral], days: int) -> int:
    """E-mail the social workers who may handle the stale referrals: how many, no more."""
    recipients: dict[int, User] = {}
    for referral in stale:
        for user in permissions.users_with(Perm.HANDLE_REFERRALS, referral):
            recipients[user.pk] = user
    if not recipients:
        return 0
    subject = _("Referrals waiting for handling")
    body = "\n".join(
        [
            ngettext(
                "%(count)d referral has had no activity for %(days)d days or more.",
                "%(count)d referrals have had no activity for %(days)d days or more.",
                len(stale),
            )
            % {"count": len(stale), "days": days},
            "",
            _("See the queue: %(link)s") % {"link": _queue_link()},
        ]
    )
    emails = sorted(user.email for user in recipients.values())
    for email in emails:
        transaction.on_commit(partial(send_mail, subject, body, None, [email], fail_silently=True))
    return len(emails)


def retention_run(
    *,
    actor: Actor,
    now: datetime,
    dry_run: bool = False,
    organisations: Iterable[Organisation] | None = None,
) -> list[OrganisationRetention]:
    """Delete what is due and flag what is stale, per organisation (each in its own
    transaction). ``dry_run``: count only; nothing is deleted, logged or sent."""
    if organisations is None:
        organisations = Organisation.objects.filter(
            pk__in=Referral.objects.values("organisation_id")
        ).order_by("slug")
    results = []
    for organisation in organisations:
        permissions.require(actor, Perm.REFERRAL_RIGHTS, organisation)
        rules = settings_for(organisation)
        with transaction.atomic():
            due = due_for_deletion(organisation, now=now)
            stale = stale_referrals(organisation, now=now)
            if dry_run:
                deleted = Deletion(referrals=len(due))
                notified = 0
            else:
                deleted = delete_referrals(
                    actor=actor,
                    organisation=organisation,
                    referrals=due,
                    reason=ReferralErasure.Reason.RETENTION,
                    now=now,
                )
                if deleted.referrals:
                    log_action(
                        actor=actor,
                        action="wellbeing.retention",
                        organisation=organisation,
                        data={
                            "referrals": deleted.referrals,
                            "audit_entries": deleted.audit_entries,
                            **deleted.actions,
                        },
                    )
                notified = 0
                if stale:
                    notified = _flag_stale(
                        organisation=organisation, stale=stale, days=rules.stale_after_days
                    )
                    log_action(
                        actor=actor,
                        action="wellbeing.stale_flagged",
                        organisation=organisation,
                        data={"referrals": len(stale), "notified": notified},
                    )
        results.append(
            OrganisationRetention(
                organisation=organisation.slug,
                retention_days=rules.retention_days,
                stale_after_days=rules.stale_after_days,
                deleted=deleted,
                stale=len(stale),
                notified=notified,
            )
        )
    return results
