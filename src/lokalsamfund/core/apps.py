from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lokalsamfund.core"
    label = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .audit import register_action_labels
        from .permissions import connect_cache_invalidation

        connect_cache_invalidation()
        register_action_labels(
            {
                "core.invitation_create": _("invitation sent"),
                "core.invitation_revoke": _("invitation revoked"),
                "core.invitation_accept": _("invitation accepted"),
                "core.free_text_granted": _("role with the survey's free text granted"),
                "core.job_started": _("background job started"),
            }
        )
