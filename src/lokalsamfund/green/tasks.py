"""Background tasks of the green groups: the message to all members."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import GroupNews


@task()
def news_mail_task(*, news_id: int) -> int:
    """E-mail the news ``news_id`` to every member with an address, one message each (no one
    sees another member's address); returns how many were sent."""
    news = GroupNews.objects.select_related("group").filter(pk=news_id).first()
    if news is None:
        return 0
    group = news.group
    addresses = sorted(
        {e for e in group.members.values_list("user__email", flat=True) if e and "@" in e}
    )
    with translation.override(settings.LANGUAGE_CODE):
        footer = _("You receive this as a member of %(group)s.") % {"group": group.name}
        subject = f"{group.name}: {news.subject}"
    body = f"{news.body}\n\n-- \n{footer}\n"
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses
    ]
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    GroupNews.objects.filter(pk=news_id).update(recipients=sent)
    return sent
