"""The survey's item on a resident's start page (registered in apps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from lokalsamfund.core.start_page import StartItem

from .selectors.start import open_rounds_for_resident

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


def open_round_items(user: User) -> list[StartItem]:
    """A link to answer each open round of the user's departments: the department's open
    link, or, for a round answered with codes, the code page and what to do."""
    items = []
    for invitation in open_rounds_for_resident(user):
        title = _("Answer the community survey: %(title)s") % {"title": invitation.round_title}
        if invitation.link_token:
            items.append(
                StartItem(
                    title=title,
                    text=_(
                        "Your answers are anonymous: the organisation sees only figures for "
                        "groups of residents, never who answered."
                    ),
                    url=reverse("surveys:form_link", args=[invitation.link_token]),
                    link_label=_("Answer the survey for %(department)s")
                    % {"department": invitation.department.name},
                )
            )
        else:
            items.append(
                StartItem(
                    title=title,
                    text=_(
                        "Use the code from your letter: it makes sure each home answers once. "
                        "Your answers are anonymous."
                    ),
                    url=reverse("surveys:form_start"),
                    link_label=_("Enter the code from your letter"),
                )
            )
    return items
