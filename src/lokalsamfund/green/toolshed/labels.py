"""Readable labels of the tool shed's audit actions (registered by ``GreenConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def toolshed_labels() -> dict[str, Any]:
    return {
        "green.shed_create": _("tool shed opened"),
        "green.tool_add": _("tool added to the shed"),
        "green.tool_update": _("tool's condition or stock noted"),
        "green.loan_create": _("tool borrowed"),
        "green.loan_hand_over": _("tool handed over"),
        "green.loan_cancel": _("loan cancelled"),
        "green.loan_return": _("tool returned"),
        "green.loan_renew": _("loan renewed"),
        "green.loan_remind": _("overdue loan reminded"),
        "green.hold_join": _("joined a tool's queue"),
        "green.hold_leave": _("left a tool's queue"),
        "green.hold_ready": _("tool kept for the next in the queue"),
        "green.hold_expire": _("kept tool not collected in time"),
        "green.consumable_take": _("taken from a consumable"),
    }
