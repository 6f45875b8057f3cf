from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lokalsamfund.activities"
    label = "activities"
    verbose_name = _("Activities and green communities")

    def ready(self) -> None:
        from lokalsamfund.core.audit import register_action_labels
        from lokalsamfund.core.navigation import NavItem, register
        from lokalsamfund.core.permissions import Perm

        register(
            NavItem(
                "activities:my_signups",
                _("My sign-ups"),
                Perm.JOIN_ACTIVITIES,
                order=41,
                description=_("What you signed up for, cancelling, and your calendar link."),
            )
        )

        register_action_labels(
            {
                "activities.headcount": _("headcount recorded"),
                "activities.headcount_correct": _("headcount corrected"),
                "activities.names_reduce": _("sign-up list reduced to counts"),
                "activities.signup": _("signed up for an activity"),
                "activities.signup_confirm": _("sign-up confirmed by e-mail"),
                "activities.signup_on_behalf": _("signed up someone who phoned in"),
                "activities.signup_cancel": _("sign-up cancelled"),
                "activities.waitlist_promote": _("moved up from the waitlist"),
                "activities.remind": _("activity reminder sent"),
            }
        )
