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
