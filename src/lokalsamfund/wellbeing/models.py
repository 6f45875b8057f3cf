"""Caretakers' concern referrals ("Bekymret for en beboer").

A caretaker who is worried about a resident records a ``Referral``; the organisation's social
workers handle it (``ReferralEvent``: contacts, actions, reassignment, outcome) and close it.
Personal fields (the resident's identity, the free text, the reason for naming without
consent, the social worker's notes) are stored encrypted (``core.crypto``, field names ending
in ``_encrypted``); a rights request finds a person through keyed blind indexes of the
normalised name and address, never plain text. A closed referral is deleted after the
organisation's retention period; what remains is ``ReferralErasure`` and counts.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation


def new_reference() -> str:
    """A random public reference (in URLs and lists): reveals neither order nor count."""
    return secrets.token_urlsafe(12)


class Observation(models.TextChoices):
    NOT_SEEN = "not_seen", _("not seen for a while")
    POST_PILING_UP = "post", _("post piling up")
    NEGLECT_HOME = "neglect_home", _("signs of neglect of the home")
    NEGLECT_SELF = "neglect_self", _("signs of self-neglect")
    ISOLATED = "isolated", _("seems isolated or sad")
    CONFLICT = "conflict", _("conflict")
    ASKED_FOR_HELP = "asked_for_help", _("asked for help")
    OTHER = "other", _("other")


class Urgency(models.TextChoices):
    ACUTE = "acute", _("acute risk")
    SOON = "soon", _("soon")
    WHEN_POSSIBLE = "when_possible", _("when possible")


class IdentityBasis(models.TextChoices):
    """Why the resident is (or is not) named (GDPR art. 9(2)(a) consent, 9(2)(c) vital
    interests)."""

    NOT_NAMED = "not_named", _("not named")
    CONSENT = "consent", _("the resident consented")
    VITAL_INTERESTS = "vital_interests", _("vital interests (the resident cannot consent)")


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("being handled")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    VISIT_MADE = "visit_made", _("visit made")
    REFERRED_MUNICIPALITY = "referred", _("referred to the municipality's services (consent)")
    CHILD_REPORTED = "child_reported", _("reported to the municipality about a child")
    NO_ACTION = "no_action", _("no action needed")
    DECLINED = "declined", _("the resident declined")


class WellbeingSettings(models.Model):
    """An organisation's rules and texts for referrals (defaults when it has no row)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="wellbeing_settings",
        verbose_name=_("organisation"),
    )
    retention_days = models.PositiveIntegerField(
        _("delete closed referrals after (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    stale_after_days = models.PositiveIntegerField(
        _("flag open referrals untouched for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    acute_numbers = models.TextField(
        _("the organisation's own numbers for acute situations"), blank=True
    )
    municipality_report_url = models.URLField(
        _("the municipality's form for concern about a child"), blank=True
    )
    # An export about a resident leaves out who referred only where the organisation decides so.
    withhold_referrer_in_exports = models.BooleanField(
        _("leave out who referred in a resident's export"), default=False
    )
    withhold_referrer_reason = models.TextField(_("reason for leaving it out"), blank=True)

    class Meta:
        verbose_name = _("settings for concern referrals")
        verbose_name_plural = _("settings for concern referrals")

    def __str__(self) -> str:
        return str(self.organisation)


class Referral(models.Model):
    """A caretaker's concern about a resident, passed to the organisation's social workers."""

    reference = models.CharField(
        _("reference"), max_length=32, unique=True, default=new_reference, editable=False
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("department"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    created_at = models.DateTimeField(_("referred at"), default=timezone.now)
    observations = models.JSONField(_("observations"), default=list)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    child_affected = models.BooleanField(_("a child may be affected"), default=False)
    consent_to_contact = models.BooleanField(_("consented to be contacted"), default=False)
    identity_basis = models.CharField(
        _("named on what basis"),
        max_length=20,
        choices=IdentityBasis.choices,
        default=IdentityBasis.NOT_NAMED,
    )
    # The legal basis recorded with the referral (text of the rule that applied when it was made).
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    # Encrypted personal fields (core.crypto): empty when not given.
    resident_name_encrypted = models.TextField(blank=True, editable=False)
    resident_address_encrypted = models.TextField(blank=True, editable=False)
    identity_reason_encrypted = models.TextField(blank=True, editable=False)
    free_text_encrypted = models.TextField(blank=True, editable=False)
    # Keyed blind indexes (HMAC of the normalised value) for rights requests.
    name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.RECEIVED,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_assigned",
        verbose_name=_("social worker"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    last_activity_at = models.DateTimeField(_("last handled"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "pk")
        verbose_name = _("concern referral")
        verbose_name_plural = _("concern referrals")
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="wellbeing_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="wellbeing_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        # Never personal data: lists, logs and the audit log show this.
        return f"{self.reference}"


class EventKind(models.TextChoices):
    TAKEN = "taken", _("taken")
    CONTACT = "contact", _("contact")
    ACTION = "action", _("action")
    NOTE = "note", _("note")
    REASSIGNED = "reassigned", _("reassigned")
    CLOSED = "closed", _("closed")
    RECTIFIED = "rectified", _("rectified")


class ReferralEvent(models.Model):
    """A step in handling a referral. Its text is a social worker's note (encrypted), never
    shown to the referring caretaker."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    text_encrypted = models.TextField(blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")

    def __str__(self) -> str:
        return f"{self.referral.reference} {self.kind}"


class ReferralErasure(models.Model):
    """That referrals were deleted (retention) or erased (art. 17): no personal data."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("retention period ended")
        RIGHTS_REQUEST = "rights_request", _("erasure on request (art. 17)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    count = models.PositiveIntegerField(_("referrals"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ("-at",)
        verbose_name = _("deletion of referrals")
        verbose_name_plural = _("deletions of referrals")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.count}"


class ReferralTally(models.Model):
    """Counts that outlive deleted referrals (retention, erasure): per department and quarter,
    how many referrals there were (``dimension`` "total"), with each observation and with each
    outcome. No personal data and no reference; statistics add the live referrals to these and
    show them only through disclosure control."""

    class Dimension(models.TextChoices):
        TOTAL = "total", _("referrals")
        OBSERVATION = "observation", _("observation")
        OUTCOME = "outcome", _("outcome")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    quarter = models.DateField(_("quarter (first day)"))
    dimension = models.CharField(_("counted by"), max_length=20, choices=Dimension.choices)
    value = models.CharField(_("value"), max_length=30, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("count of deleted referrals")
        verbose_name_plural = _("counts of deleted referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "quarter", "dimension", "value"],
                name="wellbeing_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.dimension} {self.value}: {self.count}"
