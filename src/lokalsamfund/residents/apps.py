from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "lokalsamfund.residents"
    label = "residents"
    verbose_name = _("Residents and tenancies")

    def ready(self) -> None:
        from lokalsamfund.core import navigation
        from lokalsamfund.core.audit import register_action_labels
        from lokalsamfund.core.permissions import Perm

        register_action_labels(
            {
                "residents.tenancies_imported": _("tenancy list imported"),
                "residents.tenancy_moved_out": _("tenancy moved out"),
                "residents.invited": _("residents invited"),
                "residents.letters_issued": _("activation letters printed"),
                "residents.activated": _("account activated with a letter code"),
            }
        )

        navigation.register(
            navigation.NavItem(
                "residents:tenancies",
                _("Residents"),
                Perm.MANAGE_RESIDENTS,
                order=15,
                description=_(
                    "The tenancy list: import, invitations, activation letters, moves out."
                ),
            )
        )
