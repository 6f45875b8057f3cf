"""E-mails of the tool shed, sent after the transaction commits, in the site's language:
a tool kept for the first in its queue, and the reminder of an overdue loan."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..models import Hold, Loan


def _link(path: str) -> str:
    return settings.LOKALSAMFUND_BASE_URL.rstrip("/") + path


def _send(recipient: str, subject: str, lines: list[str]) -> None:
    if recipient:
        send_mail(subject, "\n".join(lines), None, [recipient])


def hold_ready(hold: Hold) -> None:
    """Tell the first in the queue that the tool is kept for them, and until when."""
    user = hold.user
    if not user.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        until = formats.date_format(timezone.localtime(hold.ready_until), "DATETIME_FORMAT")
        subject = _("%(tool)s is ready for you") % {"tool": hold.tool.name}
        lines = [
            _("%(tool)s has come back to the tool shed of %(group)s.")
            % {"tool": hold.tool.name, "group": hold.tool.shed.group.name},
            _("It is kept for you until %(until)s; after that the next in the queue gets it.")
            % {"until": until},
            _("Borrow it here: %(link)s")
            % {"link": _link(reverse("green:shed", args=[hold.tool.shed.group_id]))},
        ]
    email = str(user.email)
    transaction.on_commit(lambda: _send(email, subject, lines))


def overdue(loan: Loan) -> None:
    """Remind the borrower of an overdue loan: what, since when, and that it blocks new loans."""
    user = loan.borrower
    if not user.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        due = formats.date_format(loan.due_on, "DATE_FORMAT") if loan.due_on else ""
        subject = _("Please return %(tool)s") % {"tool": loan.tool.name}
        lines = [
            _("Your loan of %(tool)s from the tool shed of %(group)s was due back on %(due)s.")
            % {"tool": loan.tool.name, "group": loan.tool.shed.group.name, "due": due},
            _("Until it is back you cannot borrow anything else, and others may be waiting."),
            _("Your loans: %(link)s") % {"link": _link(reverse("green:my_loans"))},
        ]
    email = str(user.email)
    transaction.on_commit(lambda: _send(email, subject, lines))
