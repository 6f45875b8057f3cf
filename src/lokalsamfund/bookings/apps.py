from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "lokalsamfund.bookings"
    label = "bookings"
    verbose_name = _("Common houses")

    def ready(self) -> None:
        from django.db.models import signals

        from lokalsamfund.core.models import Department, Organisation
        from lokalsamfund.core.navigation import NavItem, register
        from lokalsamfund.core.permissions import Perm

        from .models import PolicyProfile
        from .models.facilities import touch_facilities_of
        from .models.profiles import profile_deleting

        # Houses are cached per process with their organisation, department and policy.
        for model in (Organisation, Department):
            signals.post_save.connect(touch_facilities_of, sender=model, dispatch_uid="houses")
        signals.pre_delete.connect(
            profile_deleting, sender=PolicyProfile, dispatch_uid="houses-profile"
        )

        register(
            NavItem(
                "bookings:facilities",
                _("Common houses"),
                Perm.BOOK_FACILITY,
                order=30,
                description=_("See when the common house is free and book it."),
            )
        )
        register(
            NavItem(
                "bookings:mine",
                _("My bookings"),
                Perm.BOOK_FACILITY,
                order=31,
                description=_("Your bookings, changes, cancellation and your calendar link."),
            )
        )
        register(
            NavItem(
                "bookings:pending",
                _("Booking requests"),
                Perm.APPROVE_BOOKINGS,
                order=32,
                description=_("Requests waiting for approval, and letting agreements to renew."),
            )
        )

        from .join_requests import has_pending_join_request
        from .views.joins import may_see_join_requests

        register(
            NavItem(
                "bookings:join_requests",
                _("Association contacts"),
                order=33,
                description=_("People who ask to book for an association: confirm or decline."),
                visible=may_see_join_requests,
            )
        )
        # The start page of someone whose request to join an association waits (no role yet).
        register(
            NavItem(
                "bookings:mine",
                _("Your request to join an association"),
                order=34,
                description=_(
                    "It waits for confirmation from the association or the housing "
                    "organisation; we will e-mail you the answer."
                ),
                visible=has_pending_join_request,
            )
        )

        from lokalsamfund.core.audit import register_action_labels

        register_action_labels(
            {
                "bookings.create": _("booking created"),
                "bookings.update": _("booking changed"),
                "bookings.cancel": _("booking cancelled"),
                "bookings.cancel_moved_out": _("booking cancelled: the resident moved out"),
                "bookings.series_decide": _("weekly series decided"),
                "bookings.approve": _("booking approved"),
                "bookings.reject": _("booking rejected"),
                "bookings.series_create": _("recurring bookings created"),
                "bookings.budget_sent": _("budget sent"),
                "bookings.feed_reset": _("calendar link renewed"),
                "bookings.guest_register": _("neighbour or association registered"),
                "bookings.guest_verify": _("e-mail address confirmed"),
                "bookings.association_join_request": _("request to join an association"),
                "bookings.association_join_confirmed": _(
                    "request to join an association confirmed"
                ),
                "bookings.association_join_declined": _("request to join an association declined"),
                "bookings.policy_install_default": _("standard booking rules installed"),
                "bookings.renewal_reminder": _("reminder to renew a letting agreement"),
            }
        )
