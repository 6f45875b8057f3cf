"""The decision tool's data: the activity catalogue, value parameters, an organisation's own
licensed value bank, and saved plans. Shipped rows have ``organisation = NULL``; an
organisation's edit is a copy with the same slug/key that overrides the shipped row."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation

non_negative = MinValueValidator(0)


class EvidenceClass(models.TextChoices):
    SOCIAL_INTERACTION = "social_interaction", _("social interaction")
    SOCIAL_SUPPORT = "social_support", _("social support (incl. befriending)")
    PSYCHOLOGICAL = "psychological", _("psychological intervention")
    COMMUNITY_GARDENING = "community_gardening", _("community gardening")


class Distribution(models.TextChoices):
    POINT = "point", _("fixed value")
    UNIFORM = "uniform", _("uniform in the interval")
    TRIANGULAR = "triangular", _("triangular (most likely value in the interval)")
    NORMAL_CI = "normal_ci", _("normal, from a 95 percent confidence interval")


class ActivityType(models.Model):
    """An activity in the catalogue (shipped, an organisation's copy, or its own)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the shipped catalogue."),
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    barriers = models.JSONField(_("barriers addressed"), default=list, blank=True)
    wishes = models.JSONField(_("wishes met"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    sessions_per_year = models.PositiveIntegerField(_("sessions per year"), default=0)
    participants_per_session = models.PositiveIntegerField(_("participants per session"), default=0)
    participants_low = models.FloatField(_("participants a year, low"), validators=[non_negative])
    participants = models.FloatField(
        _("participants a year, most likely"), validators=[non_negative]
    )
    participants_high = models.FloatField(_("participants a year, high"), validators=[non_negative])
    lonely_share_low = models.FloatField(
        _("share lonely, low"), validators=[non_negative, MaxValueValidator(1)]
    )
    lonely_share = models.FloatField(
        _("share lonely, most likely"), validators=[non_negative, MaxValueValidator(1)]
    )
    lonely_share_high = models.FloatField(
        _("share lonely, high"), validators=[non_negative, MaxValueValidator(1)]
    )
    coordinator_hours = models.FloatField(_("coordinator hours a year"), validators=[non_negative])
    volunteer_hours = models.FloatField(_("volunteer hours a year"), validators=[non_negative])
    driften_hours = models.FloatField(
        _("caretaker (driften) hours a year"), validators=[non_negative]
    )
    materials_dkk = models.FloatField(
        _("materials and other costs (DKK a year)"), validators=[non_negative]
    )
    facility_hours = models.FloatField(_("common-house hours a year"), validators=[non_negative])
    max_scale = models.PositiveSmallIntegerField(
        _("largest scale"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many groups or series the department could run at most."),
    )
    evidence_class = models.CharField(
        _("evidence class"), max_length=30, choices=EvidenceClass.choices
    )
    source = models.TextField(_("source"))
    estimate_note = models.TextField(_("note on the figures"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["slug"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="activity_type_slug_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="activity_type_slug_unique_shipped",
            ),
            models.CheckConstraint(
                condition=Q(participants_low__lte=F("participants"))
                & Q(participants__lte=F("participants_high")),
                name="activity_type_participants_interval",
            ),
            models.CheckConstraint(
                condition=Q(lonely_share_low__lte=F("lonely_share"))
                & Q(lonely_share__lte=F("lonely_share_high")),
                name="activity_type_lonely_share_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name_da

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_da

    def description(self, language: str) -> str:
        return self.description_en if language.startswith("en") else self.description_da


class ValueParameter(models.Model):
    """A value parameter with its interval, unit, year and source."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.SlugField(_("key"), max_length=60)
    group = models.CharField(_("group"), max_length=20, default="value")
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    value = models.FloatField(_("value"))
    low = models.FloatField(_("low"))
    high = models.FloatField(_("high"))
    distribution = models.CharField(_("distribution"), max_length=20, choices=Distribution.choices)
    unit = models.CharField(_("unit"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    used_in_model = models.BooleanField(_("used in the model"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["key"]
        verbose_name = _("value parameter")
        verbose_name_plural = _("value parameters")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="value_parameter_key_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(organisation__isnull=True),
                name="value_parameter_key_unique_shipped",
            ),
            models.CheckConstraint(
                condition=Q(low__lte=F("value")) & Q(value__lte=F("high")),
                name="value_parameter_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_da


class ValueBankUnit(models.TextChoices):
    DKK = "DKK/person/year", "DKK/person/year"
    GBP = "GBP/person/year", "GBP/person/year"


class ValueBankEntry(models.Model):
    """One outcome of an organisation's own licensed value bank (never shipped)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=200)
    value = models.FloatField(_("value"), validators=[non_negative])
    unit = models.CharField(_("unit"), max_length=20, choices=ValueBankUnit.choices)
    source = models.TextField(_("source"))
    use_for_loneliness = models.BooleanField(
        _("use as the societal value of leaving severe loneliness"), default=False
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["outcome"]
        verbose_name = _("value bank entry")
        verbose_name_plural = _("value bank")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "outcome"], name="value_bank_outcome_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(use_for_loneliness=True),
                name="value_bank_one_loneliness_value",
            ),
        ]

    def __str__(self) -> str:
        return self.outcome


class Plan(models.Model):
    """A saved plan for a department: its inputs and the exact JSON it produced."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    round_slug = models.CharField(_("survey round"), max_length=100, blank=True)
    evidence_kind = models.CharField(_("evidence"), max_length=20)
    seed = models.PositiveIntegerField(_("seed"))
    draws = models.PositiveIntegerField(_("draws"))
    budget_dkk = models.FloatField(_("budget (DKK)"))
    coordinator_hours = models.FloatField(_("coordinator hours"))
    driften_hours = models.FloatField(_("caretaker hours"))
    facility_hours = models.FloatField(_("free common-house hours"))
    risk_quantile = models.FloatField(_("risk-averse quantile"), null=True, blank=True)
    result_json = models.TextField(_("plan (JSON)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.department.code}: {self.title}"
