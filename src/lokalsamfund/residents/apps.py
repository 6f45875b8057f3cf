from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "lokalsamfund.residents"
    label = "residents"
    verbose_name = _("Residents and tenancies")

    def ready(self) -> None:
        from lokalsamfund.core import navigation
        from lokalsamfund.core.permissions import Perm

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
