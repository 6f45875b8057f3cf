"""Audit labels (and navigation) of the rights, retention, keys and statistics parts of
wellbeing. ``WellbeingConfig.ready()`` calls ``register()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _answers_rights(user: object) -> bool:
    """A data protection contact, not a platform operator as such (wellbeing.permissions)."""
    from lokalsamfund.core import permissions
    from lokalsamfund.core.permissions import Perm

    from .permissions import _member

    return _member(user) and permissions.has_any(user, Perm.REFERRAL_RIGHTS)  # type: ignore[arg-type]


def register() -> None:
    from lokalsamfund.core.audit import register_action_labels
    from lokalsamfund.core.navigation import NavItem
    from lokalsamfund.core.navigation import register as register_nav
    from lokalsamfund.core.permissions import Perm

    register_action_labels(
        {
            "wellbeing.retention": _("referrals deleted after the retention period"),
            "wellbeing.stale_flagged": _("untouched referrals flagged to social workers"),
            "wellbeing.keys_rotated": _("encryption keys rotated"),
            "wellbeing.rights_search": _("referrals searched for a rights request"),
            "wellbeing.rights_export": _("referral exported for a rights request"),
            "wellbeing.rectify": _("referral rectified"),
            "wellbeing.erase": _("referrals erased on request"),
            "wellbeing.read": _("referral read"),
        }
    )
    register_nav(
        NavItem(
            "wellbeing:rights_index",
            _("Rights requests (referrals)"),
            Perm.REFERRAL_RIGHTS,
            order=72,
            description=_("Find, export, rectify or erase what is recorded about a resident."),
            visible=_answers_rights,
        )
    )
    register_nav(
        NavItem(
            "wellbeing:statistics_index",
            _("Referral statistics"),
            Perm.VIEW_REFERRAL_STATISTICS,
            order=73,
            description=_("Referrals per department and quarter, without small numbers."),
        )
    )
