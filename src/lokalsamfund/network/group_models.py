"""Project groups (projektgrupper) across organisations and sectors, their members, documents,
and the network's events: a group's meetings and the development days (udviklingsdage).

Meetings and development days are activities of a hosting organisation's department
(``activities.Activity``), so that their sign-up is the activities' own (capacity, waitlist,
e-mail confirmation); a ``NetworkEvent`` says which activity is whose, and the activities'
visibility rule asks the network who may see it (``network.events.audience``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalsamfund.core.models import Invitation, Organisation, User


class ProjectGroup(models.Model):
    """A project group: people from several organisations and from outside the sector who work
    on one problem or aim, optionally linked to ideas of the idea bank and to activity types of
    the decision tool's catalogue."""

    title = models.CharField(_("title"), max_length=200)
    aim = models.TextField(_("problem and aim"))
    host_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hosting organisation"),
    )
    ideas = models.ManyToManyField(
        "network.Idea", blank=True, related_name="project_groups", verbose_name=_("ideas")
    )
    activity_types = models.JSONField(_("activity types"), default=list, blank=True)
    is_open = models.BooleanField(
        _("open to join"),
        default=True,
        help_text=_("Everyone in the network may join; otherwise the contacts invite."),
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["title", "pk"]
        verbose_name = _("project group")
        verbose_name_plural = _("project groups")

    def __str__(self) -> str:
        return self.title


class GroupMember(models.Model):
    """A member of a project group: an account, or an invitation not yet accepted (the member
    is then whoever accepts it). ``affiliation`` is the organisation or sector the person
    comes from, as they are to be shown to the group."""

    group = models.ForeignKey(ProjectGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="network_groups"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    affiliation = models.CharField(_("organisation or sector"), max_length=200)
    role_in_group = models.CharField(_("role in the group"), max_length=100, blank=True)
    is_contact = models.BooleanField(_("contact"), default=False)
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["-is_contact", "joined_at", "pk"]
        verbose_name = _("project group member")
        verbose_name_plural = _("project group members")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(user__isnull=False),
                name="network_group_member_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(invitation__isnull=False),
                name="network_group_member_user_or_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.user_id or self.invitation_id}"


class GroupDocument(models.Model):
    """A document of a project group, kept in the database (never under a public URL) and
    served only to the group's members by a permission-checked view."""

    group = models.ForeignKey(ProjectGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["-uploaded_at", "-pk"]
        verbose_name = _("project group document")
        verbose_name_plural = _("project group documents")

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    MEETING = "meeting", _("project group meeting")
    DEVELOPMENT_DAY = "development_day", _("development day")


class NetworkEvent(models.Model):
    """A group's meeting or a development day: an activity of the hosting organisation whose
    audience the network decides (the group's members; everyone in the network)."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    group = models.ForeignKey(
        ProjectGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="network_event"
    )

    class Meta:
        verbose_name = _("network event")
        verbose_name_plural = _("network events")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(kind="meeting") & Q(group__isnull=False))
                | (Q(kind="development_day") & Q(group__isnull=True)),
                name="network_event_meeting_has_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.activity_id}"


class ProgrammeSession(models.Model):
    """One session of a development day's programme."""

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    room = models.CharField(_("room"), max_length=100, blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="network_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
