from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _uses_network(user: object) -> bool:
    from lokalsamfund.core import permissions
    from lokalsamfund.core.permissions import Perm

    return any(
        permissions.has_any(user, perm)  # type: ignore[arg-type]
        for perm in (Perm.VIEW_SURVEY_RESULTS, Perm.SHARE_WITH_NETWORK, Perm.NETWORK_IDEAS)
    )


def _takes_part(user: object) -> bool:
    from lokalsamfund.core import permissions
    from lokalsamfund.core.permissions import Perm

    return permissions.has_any(user, Perm.NETWORK_TAKE_PART)  # type: ignore[arg-type]


class NetworkConfig(AppConfig):
    name = "lokalsamfund.network"
    label = "network"
    verbose_name = _("The network")

    def ready(self) -> None:
        from lokalsamfund.activities import permissions as activity_rules
        from lokalsamfund.core import navigation
        from lokalsamfund.core.audit import register_action_labels
        from lokalsamfund.surveys import extensions

        from . import events, views

        activity_rules.register_audience(events.governed, events.audience)
        navigation.register(
            navigation.NavItem(
                "network:groups",
                _("Project groups"),
                order=61,
                description=_(
                    "Project groups and development days across organisations and sectors."
                ),
                visible=_takes_part,
            )
        )
        navigation.register(
            navigation.NavItem(
                "network:index",
                _("The network"),
                order=60,
                description=_("Compare your departments with similar departments elsewhere."),
                visible=_uses_network,
            )
        )
        extensions.register_department_panel(views.survey_results_panel)
        register_action_labels(
            {
                "network.profile_set": _("department's network data changed"),
                "network.round_shared": _("survey round shared with the network"),
                "network.share_stopped": _("sharing with the network stopped"),
                "network.reach_shared": _("participation figures shared with the network"),
                "network.reach_share_stopped": _(
                    "sharing of participation figures with the network stopped"
                ),
                "network.idea_created": _("idea shared in the network"),
                "network.key_trusted": _("network key trusted"),
                "network.key_untrusted": _("network key no longer trusted"),
                "network.bundle_exported": _("network bundle exported"),
                "network.bundle_imported": _("network bundle imported"),
                "network.group_created": _("project group started"),
                "network.group_joined": _("project group joined"),
                "network.group_left": _("project group left"),
                "network.group_invited": _("invited to a project group"),
                "network.group_contact_set": _("project group's contacts changed"),
                "network.document_added": _("project group document added"),
                "network.document_deleted": _("project group document deleted"),
                "network.meeting_created": _("project group meeting scheduled"),
                "network.development_day_created": _("development day created"),
                "network.session_added": _("development day session added"),
            }
        )
