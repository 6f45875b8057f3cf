"""Evidence from a frame of survey responses, through the survey domain's own analysis (pure,
no Django).

The same path a closed round takes (``analysis.compute_results`` with disclosure control,
``analysis.to_payloads`` for the results contract, ``analysis.ucla_score_counts``) and the
same reading of a department's group (``evidence.from_group``) as
``surveys.selectors.department_evidence``. Used for labelled example data and for the
benchmark on the synthetic national data set; nothing here is a department's own survey.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import polars as pl

from lokalsamfund.surveys import analysis, disclosure
from lokalsamfund.surveys.evidence import Benchmark, DepartmentEvidence, from_group


def evidence_from_responses(
    frame: pl.DataFrame,
    *,
    round_slug: str,
    adult_residents: Mapping[str, int],
    benchmark: Benchmark,
    min_cell_size: int = disclosure.MIN_CELL_SIZE,
) -> dict[str, DepartmentEvidence | None]:
    """Evidence per department code of ``adult_residents`` (None where the department's group
    or its severe-loneliness figure is suppressed, or it has no responses)."""
    results = analysis.compute_results(frame, min_cell_size=min_cell_size)
    # Only the organisation's and departments' own groups: the breakdown cells are not evidence.
    overview = analysis.to_payloads(results.filter(pl.col("level") != disclosure.CELL)).overview
    groups = {g["department"]: g for g in json.loads(overview) if g["department"] is not None}
    scores = analysis.ucla_score_counts(frame)
    return {
        code: from_group(
            groups.get(code),
            round_slug=round_slug,
            department_code=code,
            adult_residents=adults,
            ucla_score_counts=scores.get(code, {}),
            benchmark=benchmark,
        )
        for code, adults in adult_residents.items()
    }
