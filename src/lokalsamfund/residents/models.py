"""Tenancies (lejemål) of an organisation and the one-time activation codes of their letters.

The e-mail address and phone number of a tenancy are personal data: they are stored
encrypted (``core.crypto``, keys from ``LOKALSAMFUND_FIELD_KEYS``); ``has_email`` says whether
there is one without decrypting it. An activation code is stored only as its keyed hash.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core import crypto
from lokalsamfund.core.models import Department, Organisation, home_key, normalise_home


class Tenancy(models.Model):
    """Lejemål: one home let to a household, as the housing administration system lists it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tenancies"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="tenancies")
    number = models.CharField(_("tenancy number"), max_length=40)
    address = models.CharField(_("address"), max_length=300)
    # ``home`` as memberships compare it (``Membership.home_key``): finds the residents.
    home_key = models.CharField(max_length=360, editable=False, db_index=True)
    email_encrypted = models.TextField(blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    has_email = models.BooleanField(_("has e-mail"), default=False, editable=False)
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    letter_at = models.DateTimeField(_("letter printed"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["department__code", "address", "number"]
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="tenancy_number_unique_per_organisation"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["organisation", "department", "moved_out"])]

    def __str__(self) -> str:
        return self.home

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.home_key = home_key(self.home)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "home_key"}
        super().save(*args, **kwargs)

    @property
    def home(self) -> str:
        """The home as residents' memberships record it (``Membership.home``): the household
        whose quota they share."""
        return home_of(self.address, self.number)

    @property
    def email(self) -> str:
        return crypto.decrypt(self.email_encrypted) if self.email_encrypted else ""

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    def set_contact(self, *, email: str, phone: str) -> None:
        self.email_encrypted = crypto.encrypt(email) if email else ""
        self.phone_encrypted = crypto.encrypt(phone) if phone else ""
        self.has_email = bool(email)

    @property
    def is_active(self) -> bool:
        return self.moved_out is None


def home_of(address: str, number: str) -> str:
    """``Membership.home`` of a tenancy: its address and tenancy number, e.g.
    "Ærtebjerg 3, st. th. (12-0304)"; unique in the organisation through the number."""
    return normalise_home(f"{address} ({number})")


class ActivationCode(models.Model):
    """A one-time code on a tenancy's activation letter: only its keyed hash is stored.

    Used once (``used_at``, set by a conditional update that only one request can win);
    voided when a newer letter is printed for the tenancy or the tenancy moves out."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(voided_at__isnull=True),
                name="activation_code_used_or_voided_not_both",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_hash[:8]}…"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.voided_at is None
