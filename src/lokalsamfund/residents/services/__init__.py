"""Services of the residents' domain (writes). Views and the command call these only."""

from .activation import (
    MAX_LETTERS_PER_REQUEST,
    activation_code_lookup,
    activation_complete,
    activation_letters_check,
    activation_letters_create,
    activation_letters_issue,
)
from .invitations import MAX_INVITATIONS_PER_REQUEST, InviteResult, tenancies_invite
from .tenancies import ImportPlan, tenancy_import_apply, tenancy_import_plan, tenancy_move_out

__all__ = [
    "MAX_INVITATIONS_PER_REQUEST",
    "MAX_LETTERS_PER_REQUEST",
    "ImportPlan",
    "InviteResult",
    "activation_code_lookup",
    "activation_complete",
    "activation_letters_check",
    "activation_letters_create",
    "activation_letters_issue",
    "tenancies_invite",
    "tenancy_import_apply",
    "tenancy_import_plan",
    "tenancy_move_out",
]
