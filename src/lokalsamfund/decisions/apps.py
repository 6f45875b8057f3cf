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
