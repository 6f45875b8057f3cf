"""Reads of the survey domain (selectors; the services package writes).

``rounds``: the rounds a user sees, a round's page, free text for coordinators.
``results``: a closed round's stored, disclosure-controlled results and their comparisons.
``evidence``: what the decision tool may know of a department.
"""

from .evidence import department_evidence, latest_closed_round
from .results import (
    SUMMARY_INDICATORS,
    Comparison,
    RoundView,
    benchmark_for,
    benchmarks_for,
    department_comparisons,
    difference,
    previous_round,
    published_summary_for,
    results_contract_for,
    results_for_user,
    round_view,
    shown,
    stored_results,
)
from .rounds import (
    RESULT_PERMS,
    RoundPage,
    RoundRow,
    comment_in_round,
    comments_for,
    departments_over_adults,
    import_vocabulary,
    link_of,
    response_total,
    round_by_slug,
    round_page,
    rounds_for,
    rounds_for_system,
    visible_round,
)

__all__ = [
    "RESULT_PERMS",
    "SUMMARY_INDICATORS",
    "Comparison",
    "RoundPage",
    "RoundRow",
    "RoundView",
    "benchmark_for",
    "benchmarks_for",
    "comment_in_round",
    "comments_for",
    "department_comparisons",
    "department_evidence",
    "departments_over_adults",
    "difference",
    "import_vocabulary",
    "latest_closed_round",
    "link_of",
    "previous_round",
    "published_summary_for",
    "response_total",
    "results_contract_for",
    "results_for_user",
    "round_by_slug",
    "round_page",
    "round_view",
    "rounds_for",
    "rounds_for_system",
    "shown",
    "stored_results",
    "visible_round",
]
