"""A group's news (and the message to all members), its season plans and its harvest or
activity log with photos."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM, Actor

from .. import images, rules
from ..models import GreenGroup, GroupNews, LogEntry, LogPhoto, SeasonPlan
from .groups import _require_manage

# At most this many photos on one log entry.
MAX_PHOTOS = 4


def news_post(
    *, actor: Actor, group: GreenGroup, subject: str, body: str, email: bool = True
) -> GroupNews:
    """Post news on the group's page (its contacts and ``green.manage``); with ``email``, a
    background task sends it to every member with an e-mail address, one message each."""
    _require_manage(actor, group)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DomainError(_("Write both a subject and a message."))
    with transaction.atomic():
        news = GroupNews.objects.create(
            group=group,
            author=actor if isinstance(actor, User) else None,
            subject=subject[:200],
            body=body,
            emailed=email,
        )
        log_action(
            actor=actor,
            action="green.news",
            organisation=group.organisation,
            obj=news,
            data={"email": email},
        )
        if email:
            from ..tasks import news_mail_task

            news_id = news.pk
            transaction.on_commit(lambda: news_mail_task.enqueue(news_id=news_id))
    return news


def season_plan_set(*, actor: Actor, group: GreenGroup, year: int, text: str) -> SeasonPlan:
    """Write the group's plan for ``year`` (what is sown, built and done when)."""
    _require_manage(actor, group)
    if not text.strip():
        raise DomainError(_("Write the season's plan."))
    with transaction.atomic():
        plan, created = SeasonPlan.objects.update_or_create(
            group=group,
            year=year,
            defaults={"text": text.strip(), "updated_at": timezone.now()},
        )
        log_action(
            actor=actor,
            action="green.season_plan",
            organisation=group.organisation,
            obj=plan,
            data={"year": year, "created": created},
        )
    return plan


def log_write(
    *,
    actor: Actor,
    group: GreenGroup,
    day: date,
    text: str,
    harvest_kg: Decimal | None = None,
    photos: list[tuple[str, bytes]] | None = None,
) -> LogEntry:
    """A log entry by a member or who runs the group, with up to ``MAX_PHOTOS`` photos
    (``(name, bytes)``; each checked and re-encoded without metadata; one bad photo and
    nothing is saved)."""
    if actor is not SYSTEM and not (
        isinstance(actor, User)
        and (rules.is_member(actor, group) or rules.may_manage(actor, group))
    ):
        raise Forbidden(_("Only the group's members write in its log."))
    if not text.strip():
        raise DomainError(_("Write what happened."))
    if harvest_kg is not None and harvest_kg < 0:
        raise DomainError(_("A harvest cannot be negative."))
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(limit)s photos on one entry; you chose %(count)s.")
            % {"limit": MAX_PHOTOS, "count": len(photos)}
        )
    cleaned = [images.clean_image(data, name=name) for name, data in photos]
    with transaction.atomic():
        entry = LogEntry.objects.create(
            group=group,
            author=actor if isinstance(actor, User) else None,
            day=day,
            text=text.strip(),
            harvest_kg=harvest_kg,
        )
        for image in cleaned:
            LogPhoto.objects.create(
                entry=entry,
                image=image.data,
                content_type=image.content_type,
                width=image.width,
                height=image.height,
            )
        log_action(
            actor=actor,
            action="green.log",
            organisation=group.organisation,
            obj=entry,
            data={"photos": len(cleaned)},
        )
    return entry


def log_delete(*, actor: Actor, entry: LogEntry) -> None:
    """Delete a log entry and its photos: its author, or who runs the group."""
    group = entry.group
    if not (isinstance(actor, User) and entry.author_id == actor.pk):
        _require_manage(actor, group)
    with transaction.atomic():
        log_action(
            actor=actor,
            action="green.log_delete",
            organisation=group.organisation,
            obj=group,
            data={"day": entry.day.isoformat()},
        )
        entry.delete()
