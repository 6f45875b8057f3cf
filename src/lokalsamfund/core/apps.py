from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lokalsamfund.core"
    label = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .permissions import connect_cache_invalidation

        connect_cache_invalidation()
