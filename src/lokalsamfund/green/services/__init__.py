"""Green groups' services (writes). Every service names its actor, checks it once
(``permissions.require`` or the group's rules in ``rules``), runs in one transaction and writes
an audit entry."""

from .groups import (
    GROUP_FIELDS,
    activity_link,
    group_create,
    group_update,
    member_join,
    member_leave,
    plot_create,
    plot_update,
    site_plan_set,
)
from .results import MAX_PHOTOS, log_delete, log_write, news_post, season_plan_set
from .seasons import (
    apply,
    free_plots,
    household_of,
    lottery_draw,
    lottery_input,
    lottery_run,
    offer_accept,
    offer_decline,
    offer_next,
    plot_give_back,
    priority_of,
    renewals_close,
    season_open,
)

__all__ = [
    "GROUP_FIELDS",
    "MAX_PHOTOS",
    "activity_link",
    "apply",
    "free_plots",
    "group_create",
    "group_update",
    "household_of",
    "log_delete",
    "log_write",
    "lottery_draw",
    "lottery_input",
    "lottery_run",
    "member_join",
    "member_leave",
    "news_post",
    "offer_accept",
    "offer_decline",
    "offer_next",
    "plot_create",
    "plot_give_back",
    "plot_update",
    "priority_of",
    "renewals_close",
    "season_open",
    "season_plan_set",
    "site_plan_set",
]
