"""Setting up houses: the shipped default policy profile, private calendar feed keys."""

from __future__ import annotations

import secrets

from django.db import transaction

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import Organisation, User
from lokalsamfund.core.permissions import Actor, Perm

from ..models import CalendarFeed, PolicyCategoryTerms, PolicyProfile, PolicyRule
from ..policy import SHIPPED_DEFAULT


def policy_profile_install_default(*, organisation: Organisation, actor: Actor) -> PolicyProfile:
    """Copy the shipped default profile into the organisation as its editable default
    (unreviewed: "to be reviewed against the rules in force"). Idempotent. The actor needs
    ``MANAGE_FACILITIES`` on the organisation (commands and the demo act as ``SYSTEM``)."""
    permissions.require(actor, Perm.MANAGE_FACILITIES, organisation)
    with transaction.atomic():
        existing = PolicyProfile.objects.filter(
            organisation=organisation, is_organisation_default=True
        ).first()
        if existing is not None:
            return existing
        profile = PolicyProfile.objects.create(
            organisation=organisation,
            name=SHIPPED_DEFAULT.name,
            is_organisation_default=True,
            forbids_profit=SHIPPED_DEFAULT.forbids_profit,
        )
        PolicyRule.objects.bulk_create(
            [
                PolicyRule(
                    profile=profile,
                    category=r.category,
                    use_type=r.use_type,
                    allowed=r.allowed,
                    needs_approval=r.needs_approval,
                    price_rule=r.price_rule,
                    fixed_price=r.fixed_price,
                    source=r.source,
                )
                for r in SHIPPED_DEFAULT.rules
            ]
        )
        PolicyCategoryTerms.objects.bulk_create(
            [
                PolicyCategoryTerms(
                    profile=profile,
                    category=t.category,
                    max_days_ahead=t.max_days_ahead,
                    cancellation_hours=t.cancellation_hours,
                    source=t.source,
                )
                for t in SHIPPED_DEFAULT.terms
            ]
        )
        log_action(
            actor=actor,
            action="bookings.policy_install_default",
            organisation=organisation,
            obj=profile,
        )
    return profile


def calendar_feed_key(*, user: User) -> str:
    """The key of the user's private feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return feed.key


def calendar_feed_reset(*, user: User) -> str:
    """A new key; the old link stops working at once."""
    with transaction.atomic():
        key = secrets.token_urlsafe(32)
        CalendarFeed.objects.update_or_create(user=user, defaults={"key": key})
        log_action(actor=user, action="bookings.feed_reset", organisation=None, obj=None)
    return key
