from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "lokalsamfund.wellbeing"
    label = "wellbeing"
    verbose_name = _("Concern for a resident")

    def ready(self) -> None:
        from lokalsamfund.core.audit import register_action_labels

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
