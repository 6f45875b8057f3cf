from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _uses_surveys(user: object) -> bool:
    from lokalsamfund.core import permissions
    from lokalsamfund.core.permissions import Perm

    return any(
        permissions.has_any(user, perm)  # type: ignore[arg-type]
        for perm in (
            Perm.MANAGE_SURVEYS,
            Perm.ENTER_PAPER_ANSWERS,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_PUBLISHED_SURVEY_SUMMARY,
        )
    )


class SurveysConfig(AppConfig):
    name = "lokalsamfund.surveys"
    label = "surveys"
    verbose_name = _("Community survey")

    def ready(self) -> None:
        from lokalsamfund.core import navigation

        navigation.register(
            navigation.NavItem(
                "surveys:rounds",
                _("Community survey"),
                order=20,
                description=_("Fællesskabsmålingen: rounds, letters, answers and safe results."),
                visible=_uses_surveys,
            )
        )

        from lokalsamfund.core import start_page

        from .start_page import open_round_items

        start_page.register(open_round_items, order=10)

        from lokalsamfund.core.audit import register_action_labels

        register_action_labels(
            {
                "survey.round_created": _("survey round created"),
                "survey.round_opened": _("survey round opened"),
                "survey.round_closed": _("survey round closed"),
                "survey.codes_generated": _("answer codes made"),
                "survey.responses_imported": _("answers imported"),
                "survey.comment_redacted": _("free-text answer redacted"),
                "survey.summary_published": _("summary published"),
                "survey.summary_withdrawn": _("summary withdrawn"),
                "survey.link_switched_on": _("open link switched on"),
                "survey.link_switched_off": _("open link switched off"),
            }
        )
