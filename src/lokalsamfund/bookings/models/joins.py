"""Requests to join an existing association as its contact (foreningskontakt)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Association


class JoinOutcome(models.TextChoices):
    PENDING = "pending", _("waiting")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")


class AssociationJoinRequest(models.Model):
    """Someone who registered with an existing association's CVR number asks to become its
    contact. Grants nothing until a contact of the association or the organisation confirms."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("association"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="association_join_requests",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=JoinOutcome.choices,
        default=JoinOutcome.PENDING,
        editable=False,
    )

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        verbose_name = _("request to join an association")
        verbose_name_plural = _("requests to join an association")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=models.Q(outcome="pending"),
                name="one_pending_join_request_per_user_and_association",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.association}"

    @property
    def organisation_id(self) -> int:
        return self.association.organisation_id
