"""Seasons and results of a green group: the site plan, season plans, news, the harvest and
activity log and its photos."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .groups import (
    GreenGroup,
)


class SitePlan(models.Model):
    """A simple site plan image of a group's plots (re-encoded, without metadata; kept in the
    database and served by a permission-checked view, never under a public address)."""

    group = models.OneToOneField(
        GreenGroup, on_delete=models.CASCADE, related_name="site_plan", verbose_name=_("group")
    )
    image = models.BinaryField(_("image"), editable=False)
    content_type = models.CharField(_("content type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("site plan")
        verbose_name_plural = _("site plans")

    def __str__(self) -> str:
        return f"{self.group}"


class SeasonPlan(models.Model):
    """A group's plan for a year: what is sown, built and done when (milestones one a line)."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="season_plans", verbose_name=_("group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("plan"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["group", "-year"]
        verbose_name = _("season plan")
        verbose_name_plural = _("season plans")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["group", "year"], name="green_season_plan_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}"


class GroupNews(models.Model):
    """News on the group's page; sent as an e-mail to all members when ``emailed``."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="news", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    emailed = models.BooleanField(_("sent to all members"), default=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("news")
        verbose_name_plural = _("news")

    def __str__(self) -> str:
        return self.subject


class LogEntry(models.Model):
    """The group's harvest or activity log (høst- og aktivitetslog): what was done or harvested
    on a day, with optional photos."""

    group = models.ForeignKey(
        GreenGroup, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    day = models.DateField(_("day"))
    text = models.TextField(_("what happened"))
    harvest_kg = models.DecimalField(
        _("harvest (kg)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "-pk"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(harvest_kg__isnull=True) | Q(harvest_kg__gte=0),
                name="green_log_harvest_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.day}"


class LogPhoto(models.Model):
    """A photo of a log entry: re-encoded without metadata, kept in the database, served only
    to those who may see the group."""

    entry = models.ForeignKey(
        LogEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("log entry")
    )
    image = models.BinaryField(_("image"), editable=False)
    content_type = models.CharField(_("content type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        ordering: ClassVar = ["entry", "pk"]
        verbose_name = _("log photo")
        verbose_name_plural = _("log photos")

    def __str__(self) -> str:
        return f"{self.entry} #{self.pk}"
