from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "lokalsamfund.wellbeing"
    label = "wellbeing"
    verbose_name = _("Concern for a resident")

    def ready(self) -> None:
        from lokalsamfund.core.audit import register_action_labels
        from lokalsamfund.core.navigation import NavItem, register

        from .permissions import may_handle_any, may_refer

        register(
            NavItem(
                "wellbeing:new",
                _("Concern for a resident"),
                order=60,
                description=_("Pass on a worry about a resident to the social worker."),
                visible=may_refer,
            )
        )
        register(
            NavItem(
                "wellbeing:mine",
                _("My referrals"),
                order=61,
                description=_("The status of the concerns you passed on."),
                visible=may_refer,
            )
        )
        register(
            NavItem(
                "wellbeing:queue",
                _("Referrals"),
                order=62,
                description=_("Caretakers' concerns for residents, by urgency."),
                visible=may_handle_any,
            )
        )
        register_action_labels(
            {
                "wellbeing.create": _("concern referral made"),
                "wellbeing.read": _("concern referral read"),
                "wellbeing.take": _("concern referral taken"),
                "wellbeing.record": _("step recorded on a concern referral"),
                "wellbeing.reassign": _("concern referral reassigned"),
                "wellbeing.close": _("concern referral closed"),
            }
        )

        # Rights, retention, keys and statistics: audit labels and menu entries.
        from . import rights_apps

        rights_apps.register()
