from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "lokalsamfund.wellbeing"
    label = "wellbeing"
    verbose_name = _("Concern for a resident")

    def ready(self) -> None:
        # Rights, retention, keys and statistics (engineer W2): audit labels and menu entries.
        from .rights_apps import register

        register()
