from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .toolshed.labels import toolshed_labels


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
                "green.group_update": _("green group changed"),
                "green.plot_update": _("plot changed"),
                "green.site_plan": _("site plan uploaded"),
                "green.renew": _("plot renewed"),
                "green.renewals_close": _("plots not renewed freed"),
                "green.give_back": _("plot given back"),
                "green.take_back": _("plot taken back"),
                "green.news": _("news posted to a green group"),
                "green.season_plan": _("season plan written"),
                "green.log": _("written in a green group's log"),
                "green.log_delete": _("log entry deleted"),
            }
        )
        register_action_labels(toolshed_labels())
