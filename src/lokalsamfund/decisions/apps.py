from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "lokalsamfund.decisions"
    label = "decisions"
    verbose_name = _("Decision tool")

    def ready(self) -> None:
        from lokalsamfund.core.navigation import NavItem, register
        from lokalsamfund.core.permissions import Perm

        register(
            NavItem(
                "decisions:plans",
                _("Decision tool"),
                Perm.VIEW_PLANS,
                order=40,
                description=_("Why, what and with what value: community plans for the board."),
            )
        )

        from lokalsamfund.core.audit import register_action_labels

        register_action_labels(
            {
                "decisions.activity_created": _("activity type created"),
                "decisions.activity_overridden": _("activity type adapted"),
                "decisions.activity_updated": _("activity type changed"),
                "decisions.activity_reset": _("activity type reset"),
                "decisions.parameter_saved": _("parameter saved"),
                "decisions.parameter_reset": _("parameter reset"),
                "decisions.plan_created": _("plan created"),
                "decisions.plan_deleted": _("plan deleted"),
                "decisions.value_bank_imported": _("value bank imported"),
                "decisions.value_bank_used": _("value bank used"),
            }
        )
