from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lokalsamfund.activities"
    label = "activities"
    verbose_name = _("Activities and green communities")

    def ready(self) -> None:
        from lokalsamfund.core.audit import register_action_labels

        register_action_labels(
            {
                "activities.headcount": _("headcount recorded"),
                "activities.headcount_correct": _("headcount corrected"),
                "activities.names_reduce": _("sign-up list reduced to counts"),
            }
        )
