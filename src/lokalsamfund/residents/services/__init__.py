"""Services of the residents' domain (writes). Views and the command call these only."""

from .activation import (
    MAX_LETTERS_PER_REQUEST,
    activation_code_lookup,
    activation_complete,
    activation_letters_issue,
)
from .tenancies import ImportPlan, tenancy_import_apply, tenancy_import_plan, tenancy_move_out

__all__ = [
    "MAX_LETTERS_PER_REQUEST",
    "ImportPlan",
    "activation_code_lookup",
    "activation_complete",
    "activation_letters_issue",
    "tenancy_import_apply",
    "tenancy_import_plan",
    "tenancy_move_out",
]
