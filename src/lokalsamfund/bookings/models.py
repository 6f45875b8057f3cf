"""Common houses (fælleshuse) and their rooms. The booking domain builds on these."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Department, Organisation


class Facility(models.Model):
    """A common house (fælleshus) of a department, with rooms."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="facilities"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="facilities")
    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("common house")
        verbose_name_plural = _("common houses")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room of a common house. Booking the whole house blocks its rooms, and vice versa."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=0)

    class Meta:
        ordering: ClassVar = ["facility", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["facility", "name"], name="room_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facility.name}: {self.name}"
