from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenConfig(AppConfig):
    name = "lokalsamfund.green"
    label = "green"
    verbose_name = _("Green communities")

    def ready(self) -> None:
        from lokalsamfund.core.audit import register_action_labels
        from lokalsamfund.core.navigation import NavItem, register
        from lokalsamfund.core.permissions import Perm

        from . import registry_work

        registry_work.register()

        register(
            NavItem(
                "green:groups",
                _("Green groups"),
                Perm.JOIN_ACTIVITIES,
                order=45,
                description=_("Gardens, bees, compost and plots near you: join and apply."),
            )
        )
        register_action_labels(
            {
                "green.group_create": _("green group created"),
                "green.plot_create": _("plot created"),
                "green.link_activity": _("activity linked to a green group"),
                "green.join": _("joined a green group"),
                "green.leave": _("left a green group"),
                "green.season_open": _("plot season opened"),
                "green.apply": _("applied for a plot"),
                "green.lottery": _("plot lottery drawn"),
                "green.offer": _("plot offered"),
                "green.accept": _("plot accepted"),
                "green.decline": _("plot declined"),
            }
        )
