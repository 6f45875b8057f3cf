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

        from .permissions import may_organise
        from .views.proposals import has_proposals_to_decide

        register(
            NavItem(
                "activities:calendar",
                _("What's on"),
                Perm.JOIN_ACTIVITIES,
                order=40,
                description=_("Activities near you: what happens, when and where."),
            )
        )
        register(
            NavItem(
                "activities:mine",
                _("My activities"),
                order=41,
                description=_("The activities you organise: dates, changes and posters."),
                visible=may_organise,
            )
        )
        register(
            NavItem(
                "activities:proposals",
                _("Activity proposals"),
                order=42,
                description=_("Residents' proposals for activities: approve, ask or decline."),
                visible=has_proposals_to_decide,
            )
        )
        register(
            NavItem(
                "activities:my_signups",
                _("My sign-ups"),
                Perm.JOIN_ACTIVITIES,
                order=41,
                description=_("What you signed up for, cancelling, and your calendar link."),
            )
        )

        register(
            NavItem(
                "activities:participation",
                _("Participation"),
                Perm.VIEW_PARTICIPATION,
                order=43,
                description=_("How many took part, month by month and by activity type."),
            )
        )
        register_action_labels(
            {
                "activities.create": _("activity created"),
                "activities.propose": _("activity proposed"),
                "activities.approve": _("activity proposal approved"),
                "activities.request_changes": _("changes to an activity proposal requested"),
                "activities.decline": _("activity proposal declined"),
                "activities.update": _("activity changed"),
                "activities.pause": _("activity paused"),
                "activities.resume": _("activity resumed"),
                "activities.end": _("activity ended"),
                "activities.occurrence_cancel": _("activity date cancelled"),
                "activities.occurrence_move": _("activity date moved"),
                "activities.occurrence_note": _("note for an activity date"),
                "activities.extend": _("activity dates extended"),
                "activities.headcount": _("headcount recorded"),
                "activities.headcount_correct": _("headcount corrected"),
                "activities.names_reduce": _("sign-up list reduced to counts"),
                "activities.unconfirmed_expire": _("unconfirmed sign-ups deleted"),
                "activities.signup": _("signed up for an activity"),
                "activities.signup_confirm": _("sign-up confirmed by e-mail"),
                "activities.signup_on_behalf": _("signed up someone who phoned in"),
                "activities.signup_cancel": _("sign-up cancelled"),
                "activities.waitlist_promote": _("moved up from the waitlist"),
                "activities.remind": _("activity reminder sent"),
            }
        )
