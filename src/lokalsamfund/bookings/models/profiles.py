"""Policy profiles (per organisation, overridable per facility) and external-letting agreements."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Association, Organisation
from lokalsamfund.core.revisions import Revisioned

from ..choices import BookerCategory, PriceRule, UseType
from ..letting import LettingFacts, letting_problems, renewal_due
from .facilities import Facility


class PolicyProfileQuerySet(models.QuerySet["PolicyProfile"]):
    def update(self, **kwargs: Any) -> int:
        """Every update renews the revisions of the profiles and of the houses they applied
        to or apply to now (see ``Facility.revision``)."""
        kwargs.setdefault("revision", uuid.uuid4())
        with transaction.atomic(using=self.db):
            rows = list(self.values_list("pk", "organisation_id"))
            count = super().update(**kwargs)
            touch_houses_of_profiles({pk for pk, _ in rows}, {org for _, org in rows})
        return count


class PolicyProfile(Revisioned):
    """The rules of an organisation's common houses (which category may book what, prices).

    Until someone records a review, the profile is marked "to be reviewed against the rules
    in force". The software applies the rules; it is not legal advice.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="policy_profiles",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_organisation_default = models.BooleanField(_("the organisation's default"), default=False)
    forbids_profit = models.BooleanField(
        _("forbids profit"),
        default=True,
        help_text=_("The yearly account flags a surplus of the house's own use."),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # ``revision`` (Revisioned) is renewed also when one of its rules or its terms change.

    objects = PolicyProfileQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["organisation", "name"]
        verbose_name = _("policy profile")
        verbose_name_plural = _("policy profiles")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_organisation_default=True),
                name="policy_profile_one_default_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            before = PolicyProfile.objects.filter(pk=self.pk) if self.pk else None
            organisations = (
                set(before.values_list("organisation_id", flat=True)) if before else set()
            )
            super().save(*args, **kwargs)
            touch_houses_of_profiles({self.pk}, organisations)

    @staticmethod
    def touch(profile_id: int) -> None:
        """Give the profile a new revision: call after changing its rules or terms other than
        through their ``save()``/``delete()`` (e.g. ``QuerySet.update``), so that cached
        policies are not used again."""
        PolicyProfile.objects.filter(pk=profile_id).update(revision=uuid.uuid4())


def touch_houses_of_profiles(profile_ids: set[int], organisation_ids: set[int]) -> None:
    """New revisions for the houses these profiles may apply to: their own, and those of
    their organisations (and of ``organisation_ids``, e.g. where they were before) that follow
    the organisation's default, whichever profile that is."""
    organisations = organisation_ids | set(
        PolicyProfile.objects.filter(pk__in=profile_ids).values_list("organisation_id", flat=True)
    )
    houses = Facility.objects.filter(
        models.Q(policy_profile_id__in=profile_ids)
        | models.Q(organisation_id__in=organisations, policy_profile__isnull=True)
    )
    Facility.touch(houses.values_list("pk", flat=True))


def profile_deleting(sender: Any, instance: PolicyProfile, **kwargs: Any) -> None:
    """Signal handler (pre_delete): the houses that used the profile follow another one."""
    touch_houses_of_profiles({instance.pk}, {instance.organisation_id})


class _ProfilePart(models.Model):
    """A row of a profile (a rule or terms): saving or deleting it renews the profile's
    revision, after the change, in the same transaction when there is one."""

    profile_id: int

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            PolicyProfile.touch(self.profile_id)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using")):
            profile_id = self.profile_id
            result = super().delete(*args, **kwargs)
            PolicyProfile.touch(profile_id)
        return result


class PolicyRule(_ProfilePart):
    """One cell of a profile's table: a booker category and a use type."""

    profile = models.ForeignKey(
        PolicyProfile,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("policy profile"),
    )
    category = models.CharField(_("booker category"), max_length=30, choices=BookerCategory.choices)
    use_type = models.CharField(_("use type"), max_length=30, choices=UseType.choices)
    allowed = models.BooleanField(_("allowed"), default=False)
    needs_approval = models.BooleanField(_("needs approval"), default=True)
    price_rule = models.CharField(
        _("price rule"), max_length=20, choices=PriceRule.choices, default=PriceRule.FREE
    )
    fixed_price = models.DecimalField(
        _("fixed fee (kr.)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    source = models.TextField(_("legal source"), blank=True)

    class Meta:
        ordering: ClassVar = ["profile", "category", "use_type"]
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy rules")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["profile", "category", "use_type"], name="policy_rule_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.category} / {self.use_type}"


class PolicyCategoryTerms(_ProfilePart):
    """How far ahead a category may book and its cancellation deadline."""

    profile = models.ForeignKey(
        PolicyProfile,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("policy profile"),
    )
    category = models.CharField(_("booker category"), max_length=30, choices=BookerCategory.choices)
    max_days_ahead = models.PositiveIntegerField(_("may book days ahead"), default=90)
    cancellation_hours = models.PositiveIntegerField(_("may cancel until hours before"), default=48)
    source = models.TextField(_("legal source"), blank=True)

    class Meta:
        ordering: ClassVar = ["profile", "category"]
        verbose_name = _("booking terms")
        verbose_name_plural = _("booking terms")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["profile", "category"], name="policy_terms_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.category}"


class LettingAgreement(models.Model):
    """An external letting (side activity) agreement for a house.

    Cannot back a confirmed booking without an afdelingsmøde decision, a period of at most
    4 years, the taxable company it runs through and a documented market rent.
    """

    facility = models.ForeignKey(
        "bookings.Facility",
        on_delete=models.CASCADE,
        related_name="letting_agreements",
        verbose_name=_("common house"),
    )
    counterparty = models.CharField(_("let to"), max_length=200)
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("association (party)"),
        help_text=_("The association the agreement is with: only its contacts may use it."),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person (party)"),
        help_text=_("A neighbour the agreement is with, when it is not with an association."),
    )
    decision_date = models.DateField(_("afdelingsmøde decision date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference (minutes)"), max_length=200, blank=True
    )
    starts_on = models.DateField(_("agreement starts"), null=True, blank=True)
    ends_on = models.DateField(_("agreement ends"), null=True, blank=True)
    company_name = models.CharField(_("taxable company"), max_length=200, blank=True)
    company_cvr = models.CharField(_("company CVR number"), max_length=8, blank=True)
    market_rent_per_hour = models.DecimalField(
        _("market rent per hour (kr.)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    market_rent_documentation = models.TextField(_("market rent documentation"), blank=True)
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created")
    )

    association_id: int | None
    person_id: int | None

    class Meta:
        ordering: ClassVar = ["facility", "-starts_on"]
        verbose_name = _("letting agreement")
        verbose_name_plural = _("letting agreements")

    def __str__(self) -> str:
        return f"{self.counterparty} ({self.facility.name})"

    def is_party(self, *, person_id: int, association_id: int | None) -> bool:
        """Is this the agreement's own party (its association's contact, or its person)?"""
        if self.association_id is not None:
            return association_id == self.association_id
        return self.person_id is not None and person_id == self.person_id

    def facts(self) -> LettingFacts:
        return LettingFacts(
            decision_date=self.decision_date,
            decision_reference=self.decision_reference,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            company_name=self.company_name,
            company_cvr=self.company_cvr,
            market_rent_per_hour=self.market_rent_per_hour,
            market_rent_documentation=self.market_rent_documentation,
        )

    def problems(self, on: date | None = None) -> list[str]:
        return letting_problems(self.facts(), on=on)

    def renewal_due(self, today: date | None = None) -> bool:
        return renewal_due(self.facts(), today=today or timezone.localdate())
