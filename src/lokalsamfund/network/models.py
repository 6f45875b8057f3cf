"""Netværket: departments' shareable master data, shared rounds (local or imported from another
installation as signed bundles), trusted keys of other installations, and the idea bank.

What is stored of a shared round is only what its organisation's stored, disclosure-controlled
results already show: per department its master data bands and the shown figures of the
network's indicators (``pool.INDICATORS``). Never responses, never breakdowns, never a name.
Stopping a share deletes the ``SharedRound`` and with it every ``SharedDepartment``: the data
leaves every benchmark at once.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.surveys.models import SurveyRound


class DepartmentKind(models.TextChoices):
    FAMILY = "family", _("family housing")
    SENIOR = "senior", _("senior housing")
    YOUTH = "youth", _("youth housing")


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")


class DepartmentProfile(models.Model):
    """The master data of a department that the network may see (kept on the network's side,
    so core's ``Department`` is untouched). The size band comes from ``Department.homes``."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="network_profile"
    )
    kind = models.CharField(
        _("kind of housing"),
        max_length=10,
        choices=DepartmentKind.choices,
        default=DepartmentKind.FAMILY,
    )
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("department's network profile")
        verbose_name_plural = _("departments' network profiles")

    def __str__(self) -> str:
        return f"{self.department}: {self.kind}"


class TrustedKey(models.Model):
    """An organisation on another installation whose signed bundles this hub accepts."""

    organisation_name = models.CharField(_("organisation"), max_length=200)
    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.CharField(_("public key"), max_length=64)  # raw Ed25519, base64
    # The local organisation it is, if it also has an account here (it is then one member).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["organisation_name", "created_at"]
        verbose_name = _("trusted key")
        verbose_name_plural = _("trusted keys")

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.key_id})"

    @property
    def member(self) -> str:
        if self.organisation_id is not None:
            return f"org:{self.organisation_id}"
        return f"peer:{self.organisation_name.strip().lower()}"


class SharedRound(models.Model):
    """A round shared with the network: a local closed round (``survey_round``) or a bundle
    imported from another installation (``trusted_key``, ``round_slug``, ``sequence``)."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    survey_round = models.OneToOneField(
        SurveyRound,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_share",
    )
    trusted_key = models.ForeignKey(
        TrustedKey, null=True, blank=True, on_delete=models.CASCADE, related_name="bundles"
    )
    member = models.CharField(max_length=220, editable=False)
    round_slug = models.CharField(max_length=60)
    closed_on = models.DateField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    shared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["-shared_at", "-pk"]
        verbose_name = _("shared round")
        verbose_name_plural = _("shared rounds")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(survey_round__isnull=False) & Q(trusted_key__isnull=True))
                | (Q(survey_round__isnull=True) & Q(trusted_key__isnull=False)),
                name="network_share_local_or_imported",
            ),
            models.UniqueConstraint(
                fields=["member", "round_slug"], name="network_share_unique_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}/{self.round_slug}"


class SharedDepartment(models.Model):
    """One department of a shared round: master data bands and shown figures only.
    ``label`` is opaque (a hash), the same for the department in every round of its member."""

    shared_round = models.ForeignKey(
        SharedRound, on_delete=models.CASCADE, related_name="departments"
    )
    label = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=DepartmentKind.choices)
    size_band = models.CharField(max_length=12, blank=True)
    region = models.CharField(max_length=12, blank=True)
    respondents = models.PositiveIntegerField()
    figures = models.JSONField(default=dict)  # indicator -> {value, ci_low, ci_high, denominator}

    class Meta:
        verbose_name = _("shared department")
        verbose_name_plural = _("shared departments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["shared_round", "label"], name="network_shared_department_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shared_round_id}/{self.label}"


class ExportCounter(models.Model):
    """The last sequence number written for a round's bundle (each export is newer)."""

    survey_round = models.OneToOneField(SurveyRound, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bundle export counter")
        verbose_name_plural = _("bundle export counters")

    def __str__(self) -> str:
        return f"{self.survey_round_id}: {self.sequence}"


class Idea(models.Model):
    """An entry of the network's idea bank: what an organisation tried for a problem, where,
    at what cost, whom it reached, what came of it, and whom to ask. Published deliberately
    to every organisation of the network (no resident's data belongs here)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    tried = models.TextField(_("what was tried"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    activity_type = models.SlugField(
        _("activity type"),
        max_length=60,
        blank=True,
        help_text=_("A key of the decision tool's catalogue."),
    )
    department_kind = models.CharField(
        _("kind of housing"), max_length=10, choices=DepartmentKind.choices, blank=True
    )
    cost_dkk = models.PositiveIntegerField(_("cost (DKK)"), null=True, blank=True)
    reach = models.CharField(_("reach"), max_length=200, blank=True)
    results = models.TextField(_("results"), blank=True)
    contact = models.CharField(_("contact"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title


class ReachShare(models.Model):
    """An organisation's participation figures shared with the network (opt-in, one share per
    organisation: sharing again replaces it; stopping deletes it and every ``SharedReach``).
    The figures cover the ended months ``first_month`` to ``last_month``."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="network_reach_share"
    )
    first_month = models.CharField(max_length=7)
    last_month = models.CharField(max_length=7)
    shared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shared participation figures")
        verbose_name_plural = _("shared participation figures")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.first_month}-{self.last_month}"


class SharedReach(models.Model):
    """One department's shown participation figures of one activity type in a ``ReachShare``:
    attendances and occurrences held (never a headcount, a month or a name). ``label`` is the
    department's opaque network label (as in ``SharedDepartment``)."""

    share = models.ForeignKey(ReachShare, on_delete=models.CASCADE, related_name="rows")
    label = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=DepartmentKind.choices)
    size_band = models.CharField(max_length=12, blank=True)
    activity_type = models.SlugField(max_length=60)
    attendances = models.PositiveIntegerField()
    sessions = models.PositiveIntegerField()
    months = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("shared participation figure")
        verbose_name_plural = _("shared participation figures")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["share", "label", "activity_type"], name="network_reach_unique"
            ),
            # Never below the smallest k the disclosure module allows (surveys.disclosure).
            models.CheckConstraint(
                condition=Q(attendances__gte=5), name="network_reach_not_below_k"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share_id}/{self.label}/{self.activity_type}"


class IdeaOrigin(models.Model):
    """The department an idea came from (optional): where the organisation shares its
    participation figures, the idea shows that department's realised reach of its type."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="origin")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("idea's department")
        verbose_name_plural = _("ideas' departments")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.department_id}"


# Project groups, documents, meetings and development days (a module of their own).
from .group_models import (  # noqa: E402, F401
    EventKind,
    GroupDocument,
    GroupMember,
    NetworkEvent,
    ProgrammeSession,
    ProjectGroup,
)
