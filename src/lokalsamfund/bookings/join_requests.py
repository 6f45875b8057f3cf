"""Reads of requests to join an association (the writes are in ``services.joins``)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lokalsamfund.core import permissions
from lokalsamfund.core.models import User

from .models import AssociationJoinRequest, JoinOutcome


def join_requests_to_decide(user: User | AnonymousUser) -> QuerySet[AssociationJoinRequest]:
    """Pending requests the user may confirm or decline (never the user's own), oldest first."""
    if not user.is_authenticated:
        return AssociationJoinRequest.objects.none()
    organisation_ids, association_ids = permissions.association_join_scope(user)
    pending = AssociationJoinRequest.objects.filter(outcome=JoinOutcome.PENDING).exclude(
        user_id=user.pk
    )
    if organisation_ids is not None:
        pending = pending.filter(
            Q(association__organisation_id__in=organisation_ids)
            | Q(association_id__in=association_ids)
        )
    return pending.select_related("association__organisation", "user").order_by("created_at", "pk")


def own_pending_join_requests(user: User | AnonymousUser) -> QuerySet[AssociationJoinRequest]:
    """The user's own requests that wait for a decision."""
    if not user.is_authenticated:
        return AssociationJoinRequest.objects.none()
    return AssociationJoinRequest.objects.filter(
        user_id=user.pk, outcome=JoinOutcome.PENDING
    ).select_related("association")


def has_pending_join_request(user: User | AnonymousUser) -> bool:
    """For the start page: a request waits (only people without a role have one, so people
    with a role cost no query)."""
    if not user.is_authenticated:
        return False
    organisation_ids = permissions.organisation_ids_for(user)
    if organisation_ids is None or organisation_ids:
        return False
    return own_pending_join_requests(user).exists()
