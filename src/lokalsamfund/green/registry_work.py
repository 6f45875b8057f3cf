"""Navigation and audit labels of work days and driften's hours (called from ``apps.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from lokalsamfund.core.audit import register_action_labels
    from lokalsamfund.core.navigation import NavItem
    from lokalsamfund.core.navigation import register as register_nav
    from lokalsamfund.core.permissions import Perm

    register_nav(
        NavItem(
            "green:my_week",
            _("My green week"),
            Perm.LOG_DRIFTEN_HOURS,
            order=46,
            description=_("Green tasks, work days, materials and your hours on green work."),
        )
    )
    register_action_labels(
        {
            "green.fallback_set": _("fallback time of tasks set"),
            "green.work_day_create": _("work day created"),
            "green.task_create": _("task created"),
            "green.task_sign_up": _("signed up for a task"),
            "green.task_leave": _("left a task"),
            "green.task_fall_back": _("task fell back to the contact"),
            "green.material_tick": _("material ticked as ordered"),
            "green.rota_create": _("rota created"),
            "green.turn_assign": _("rota turn given"),
            "green.turn_offer": _("rota turn offered"),
            "green.turn_take": _("rota turn taken over"),
            "green.member_hours_log": _("member's hours logged"),
            "green.member_hours_confirm": _("member's hours confirmed"),
            "green.driften_hours_record": _("driften's hours recorded"),
            "green.driften_hours_change": _("driften's hours changed"),
            "green.driften_hours_delete": _("driften's hours deleted"),
        }
    )
