"""E-mails to participants, sent after the transaction commits, in the language the
participant signed up in (Danish by default). Each says what, when and where, and how to
cancel; a confirmed place comes with the time as an .ics file.

Links with a token (sign-up without an account) are built here and go nowhere but into the
e-mail; their paths are redacted from logs (``core/logging.py``)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting

from .. import ical
from ..models import Occurrence, SignUp, SignUpStatus


def _recipient(signup: SignUp) -> str:
    if signup.user is not None:
        return str(signup.user.email) if signup.user.is_active else ""
    return signup.email


def _link(path: str) -> str:
    return settings.LOKALSAMFUND_BASE_URL.rstrip("/") + path


def when_text(occurrence: Occurrence, lang: str) -> str:
    return formatting.time_span(
        timezone.localtime(occurrence.starts_at), timezone.localtime(occurrence.ends_at), lang
    )


def facts(signup: SignUp) -> list[str]:
    """What, when, where (and this time's note), in the active language."""
    occurrence = signup.occurrence
    activity = occurrence.activity
    lang = formatting.language(translation.get_language())
    lines = [
        _("What: %(title)s") % {"title": activity.title},
        _("When: %(when)s") % {"when": when_text(occurrence, lang)},
    ]
    where = ical.place_text(activity)
    if where:
        lines.append(_("Where: %(place)s") % {"place": where})
    if occurrence.note:
        lines.append(_("Note: %(note)s") % {"note": occurrence.note})
    if signup.places > 1:
        lines.append(_("Places: %(places)d") % {"places": signup.places})
    return lines


def how_to_cancel(signup: SignUp, token: str) -> str:
    if token:
        link = _link(reverse("activities:signup_cancel_link", args=[token]))
        return _(
            "Cannot come after all? Cancel here, so that someone else gets the place: %(link)s"
        ) % {"link": link}
    if signup.user_id is not None:
        link = _link(reverse("activities:my_signups"))
        return _("Cannot come after all? Cancel under My sign-ups: %(link)s") % {"link": link}
    return _("Cannot come after all? Tell the organiser, so that someone else gets the place.")


def _send(signup: SignUp, subject: str, lines: list[str], *, ics: bool) -> None:
    recipient = _recipient(signup)
    if not recipient:
        return
    message = EmailMessage(subject, "\n".join(lines), None, [recipient])
    if ics:
        message.attach(
            "aktivitet.ics",
            ical.occurrence_ics(signup.occurrence),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    transaction.on_commit(partial(message.send, fail_silently=True))


def placed(signup: SignUp, *, token: str = "") -> None:
    """The answer to a sign-up: a confirmed place (with the .ics) or a waitlist position."""
    with translation.override(signup.language or settings.LANGUAGE_CODE):
        title = signup.occurrence.activity.title
        if signup.status == SignUpStatus.CONFIRMED:
            subject = _("You are signed up: %(title)s") % {"title": title}
            intro = _("You are signed up. See you there!")
        else:
            subject = _("You are on the waitlist: %(title)s") % {"title": title}
            intro = _(
                "The time is full, so you are number %(position)s on the waitlist. When a "
                "place frees, you move up automatically and we send you an e-mail."
            ) % {"position": signup.waitlist_position}
        lines = [intro, "", *facts(signup), "", how_to_cancel(signup, token)]
        _send(signup, subject, lines, ics=signup.status == SignUpStatus.CONFIRMED)


def promoted(signup: SignUp, *, token: str = "") -> None:
    """A place freed and the participant moved up from the waitlist."""
    with translation.override(signup.language or settings.LANGUAGE_CODE):
        subject = _("You have a place: %(title)s") % {"title": signup.occurrence.activity.title}
        lines = [
            _("A place has freed, and you have moved up from the waitlist. You are signed up."),
            "",
            *facts(signup),
            "",
            how_to_cancel(signup, token),
        ]
        _send(signup, subject, lines, ics=True)


def confirm_link(signup: SignUp, token: str) -> None:
    """The link that confirms a sign-up without an account."""
    with translation.override(signup.language or settings.LANGUAGE_CODE):
        link = _link(reverse("activities:signup_confirm", args=[token]))
        subject = _("Confirm your sign-up: %(title)s") % {"title": signup.occurrence.activity.title}
        lines = [
            _("Open this link to confirm your sign-up: %(link)s") % {"link": link},
            _("Until you do, no place is kept for you."),
            "",
            *facts(signup),
            "",
            _("If you did not sign up, ignore this e-mail."),
        ]
        _send(signup, subject, lines, ics=False)


def link_again(signup: SignUp, token: str) -> None:
    """Someone signed up again with an address already signed up: a fresh link to confirm
    (still unconfirmed) or to cancel."""
    if signup.status == SignUpStatus.UNCONFIRMED:
        confirm_link(signup, token)
        return
    with translation.override(signup.language or settings.LANGUAGE_CODE):
        subject = _("You are already signed up: %(title)s") % {
            "title": signup.occurrence.activity.title
        }
        lines = [*facts(signup), "", how_to_cancel(signup, token)]
        _send(signup, subject, lines, ics=False)


def reminder(signup: SignUp, *, token: str = "") -> bool:
    """The day-before reminder; False when there is nobody to e-mail."""
    if not _recipient(signup):
        return False
    with translation.override(signup.language or settings.LANGUAGE_CODE):
        subject = _("Reminder: %(title)s") % {"title": signup.occurrence.activity.title}
        lines = [
            _("A reminder that you are signed up."),
            "",
            *facts(signup),
            "",
            how_to_cancel(signup, token),
        ]
        _send(signup, subject, lines, ics=False)
    return True
