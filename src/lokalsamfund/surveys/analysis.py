"""The indicators of Fællesskabsmålingen, computed in Polars (no Django).

Input: a frame of responses with ``department`` (code) and the canonical answer columns
(small-integer codes, null = not answered; see instrument.py). Output of ``compute_results``:
one row per group (the organisation, each department, each cell of each department's
breakdowns) with ``n``, every indicator's value, 95 % interval and denominator, after the
disclosure rules (``disclosure.suppress_groups``): suppressed figures are null, and the rows of
suppressed departments' cells are gone. ``to_payloads`` turns that into the JSON contract of
survey-instrument.md.

Indicators (survey-instrument.md): shares with Wilson intervals, means with t intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from . import disclosure, instrument, stats
from .instrument import (
    BREAKDOWNS,
    SEVERE_LONELINESS_MIN_SCORE,
    UCLA_ITEMS,
    UNKNOWN_CELL,
    WHO5_ITEMS,
    WHO5_LOW_MAX,
    WHO5_VERY_LOW_MAX,
)

SHARE = "share"
MEAN = "mean"
STAFF = "staff"  # a response's column: entered by staff (paper, import), disclosure.py rule 6
SHARE_DECIMALS = 4
MEAN_DECIMALS = 3


@dataclass(frozen=True)
class Indicator:
    name: str
    kind: str  # SHARE or MEAN
    row: pl.Expr  # per response: 1/0 (share) or the score (mean); null = not in denominator
    base: str  # indicators with the same base share their denominator


def ucla_score() -> pl.Expr:
    """UCLA-3 score 3-9, only when all three items are answered."""
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in UCLA_ITEMS])
    return pl.when(complete).then(pl.sum_horizontal(UCLA_ITEMS).cast(pl.Int16))


def who5_score() -> pl.Expr:
    """WHO-5 score 0-100 (raw sum x 4), only when all five items are answered."""
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in WHO5_ITEMS])
    return pl.when(complete).then((pl.sum_horizontal(WHO5_ITEMS) * 4).cast(pl.Int16))


def block_answered(block: str) -> pl.Expr:
    """A multiple-choice block counts as answered when any of its flags is non-empty."""
    return pl.any_horizontal(
        [pl.col(c).is_not_null() for c in instrument.canonical().flag_codes(block)]
    )


def _flag(code: str) -> pl.Expr:
    """A flag within its block: null when the block was not answered, else 0/1."""
    answered = pl.col(f"__answered_{instrument.flag_block_of(code)}")
    return pl.when(answered).then(pl.col(code).fill_null(0).cast(pl.Int8))


def _share(condition: pl.Expr, defined: pl.Expr) -> pl.Expr:
    return pl.when(defined).then(condition.cast(pl.Int8))


def indicators() -> list[Indicator]:
    """Every indicator of the results table, in display order."""
    ucla, who5 = pl.col("ucla_score"), pl.col("who5_score")

    def item_share(name: str, code: str, condition: pl.Expr) -> Indicator:
        return Indicator(name, SHARE, _share(condition, pl.col(code).is_not_null()), code)

    found = [
        Indicator(
            "severe_loneliness_share",
            SHARE,
            _share(ucla >= SEVERE_LONELINESS_MIN_SCORE, ucla.is_not_null()),
            "ucla",
        ),
        Indicator("ucla_mean", MEAN, ucla, "ucla"),
        item_share("lonely_often_share", "lonely_direct", pl.col("lonely_direct") == 5),
        item_share("unwanted_alone_often_share", "unwanted_alone", pl.col("unwanted_alone") == 4),
        Indicator("who5_mean", MEAN, who5, "who5"),
        Indicator(
            "who5_low_share", SHARE, _share(who5 <= WHO5_LOW_MAX, who5.is_not_null()), "who5"
        ),
        Indicator(
            "who5_very_low_share",
            SHARE,
            _share(who5 <= WHO5_VERY_LOW_MAX, who5.is_not_null()),
            "who5",
        ),
        item_share("participation_share", "participates", pl.col("participates") >= 2),
        item_share("regular_participation_share", "participates", pl.col("participates") == 4),
        item_share("belonging_share", "belonging", pl.col("belonging") >= 4),
    ]
    for block in instrument.FLAG_BLOCKS:
        for code in instrument.canonical().flag_codes(block):
            found.append(Indicator(f"{code}_share", SHARE, _flag(code), block))
    return found


def indicator_names() -> list[str]:
    return [i.name for i in indicators()]


def _prepared(frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Per response: the department, whether staff entered it (``staff``: channels paper and
    import; False when the frame has no such column), the breakdown answers and one column
    per indicator."""
    lazy = frame.lazy()
    if STAFF not in lazy.collect_schema().names():
        lazy = lazy.with_columns(pl.lit(False).alias(STAFF))
    lazy = lazy.with_columns(
        ucla_score=ucla_score(),
        who5_score=who5_score(),
        **{f"__answered_{b}": block_answered(b) for b in instrument.FLAG_BLOCKS},
    )
    return lazy.select(
        pl.col("department").cast(pl.String).cast(pl.Categorical),  # hashed once, not per pass
        pl.col(STAFF).cast(pl.Boolean),
        *BREAKDOWNS,
        *[i.row.alias(i.name) for i in indicators()],
    )


def _cell_labels(code: str, position: int) -> tuple[pl.Expr, pl.Expr]:
    """(label, sort rank) of a breakdown's cells from the stored answer code."""
    options = instrument.canonical().item(code).options
    label = (
        pl.col(code)
        .replace_strict(
            [o.code for o in options], [o.value for o in options], return_dtype=pl.String
        )
        .fill_null(UNKNOWN_CELL)
    )
    rank = (position * 100 + pl.col(code).fill_null(99)).cast(pl.Int32)
    return label.alias("cell"), rank.alias("__rank")


def breakdown_cells() -> dict[str, list[str]]:
    """Every cell of every breakdown, in the order results list them (``unknown`` last)."""
    return {
        code: [o.value for o in instrument.canonical().item(code).options] + [UNKNOWN_CELL]
        for code in BREAKDOWNS
    }


def hidden_group(department: str, breakdown: str, cell: str) -> dict[str, Any]:
    """A cell with no answers, written as a suppressed one: a breakdown lists every cell,
    so that an empty cell and a suppressed one look the same (disclosure.py)."""
    return {
        "department": department,
        "breakdown": breakdown,
        "cell": cell,
        "n": None,
        "suppressed": True,
        "indicators": {},
    }


def complete_breakdowns(department: str, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A shown department's breakdown groups with every cell listed (see ``hidden_group``)."""
    found = {(g["breakdown"], g["cell"]): g for g in groups}
    return [
        found.get((breakdown, cell)) or hidden_group(department, breakdown, cell)
        for breakdown, cells in breakdown_cells().items()
        for cell in cells
    ]


def _aggregations() -> list[pl.Expr]:
    """Per group: n, each denominator once per base, each numerator (and sum of squares);
    and the same for the staff-entered answers alone (disclosure.py rule 6)."""
    staff = pl.col(STAFF)
    exprs: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("n"),
        staff.sum().cast(pl.Int64).alias("n__staff"),
    ]
    bases: set[str] = set()
    for ind in indicators():
        col = pl.col(ind.name)
        by_staff = pl.when(staff).then(col)
        if ind.base not in bases:
            bases.add(ind.base)
            exprs.append(col.count().cast(pl.Int64).alias(f"__den_{ind.base}"))
            exprs.append(by_staff.count().cast(pl.Int64).alias(f"__sden_{ind.base}"))
        exprs.append(col.sum().cast(pl.Int64).alias(f"{ind.name}__num"))
        exprs.append(by_staff.sum().cast(pl.Int64).alias(f"{ind.name}__snum"))
        if ind.kind == MEAN:
            exprs.append((col.cast(pl.Int64) ** 2).sum().cast(pl.Int64).alias(f"{ind.name}__ss"))
            exprs.append(
                (by_staff.cast(pl.Int64) ** 2).sum().cast(pl.Int64).alias(f"{ind.name}__sss")
            )
    return exprs


def aggregate(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Raw counts per group (before disclosure control): never shown as such.

    One pass per breakdown over the responses; a department's totals are the sum of its
    cells of the first breakdown (``unknown`` included), the organisation's the sum of its
    departments.
    """
    prepared = _prepared(frame)
    aggs = _aggregations()
    cells = [
        prepared.group_by("department", code)
        .agg(aggs)
        .with_columns(
            *_cell_labels(code, position),
            level=pl.lit(disclosure.CELL),
            breakdown=pl.lit(code),
        )
        .drop(code)
        for position, code in enumerate(BREAKDOWNS)
    ]
    collected = pl.collect_all(cells)
    counts = [c for c in collected[0].columns if c == "n" or ("__" in c and c != "__rank")]
    none = pl.lit(None, pl.String)
    departments = (
        collected[0]
        .group_by("department")
        .agg(pl.col(counts).sum())
        .with_columns(
            level=pl.lit(disclosure.DEPARTMENT),
            breakdown=none,
            cell=none,
            __rank=pl.lit(0, pl.Int32),
        )
    )
    organisation = departments.select(pl.col(counts).sum()).with_columns(
        level=pl.lit(disclosure.ORGANISATION),
        department=none.cast(departments.schema["department"]),
        breakdown=none,
        cell=none,
        __rank=pl.lit(0, pl.Int32),
    )
    columns = ["level", "department", "breakdown", "cell", "__rank", *counts]
    groups = pl.concat(
        [f.select(columns) for f in (organisation, departments, *collected)], how="vertical"
    )
    return groups.with_columns(
        pl.col("department").cast(pl.String),
        *[pl.col(f"__den_{i.base}").alias(f"{i.name}__den") for i in indicators()],
        *[pl.col(f"__sden_{i.base}").alias(f"{i.name}__sden") for i in indicators()],
    ).drop([c for c in counts if c.startswith(("__den_", "__sden_"))])


def _values(safe: pl.DataFrame) -> pl.DataFrame:
    """Values and intervals of the shown figures; everything suppressed becomes null."""
    exprs: list[pl.Expr] = [pl.when(~pl.col("suppressed")).then(pl.col("n")).alias("n")]
    for ind in indicators():
        shown = ~pl.col("suppressed") & ~pl.col(f"{ind.name}__suppressed")
        num, den = pl.col(f"{ind.name}__num"), pl.col(f"{ind.name}__den")
        if ind.kind == SHARE:
            low, high = stats.wilson_exprs(num, den)
            value = num.cast(pl.Float64) / pl.when(den > 0).then(den.cast(pl.Float64))
            decimals = SHARE_DECIMALS
        else:
            value, low, high = stats.mean_interval_exprs(num, pl.col(f"{ind.name}__ss"), den)
            decimals = MEAN_DECIMALS
        exprs += [
            pl.when(shown).then(value.round(decimals)).alias(ind.name),
            pl.when(shown).then(low.round(decimals)).alias(f"{ind.name}__low"),
            pl.when(shown).then(high.round(decimals)).alias(f"{ind.name}__high"),
            pl.when(shown).then(den).alias(f"{ind.name}__den"),
            (pl.col("suppressed") | pl.col(f"{ind.name}__suppressed")).alias(
                f"{ind.name}__suppressed"
            ),
        ]
    return safe.select("level", "department", "breakdown", "cell", "__rank", "suppressed", *exprs)


def _sorted(results: pl.DataFrame) -> pl.DataFrame:
    order = {disclosure.ORGANISATION: 0, disclosure.DEPARTMENT: 1, disclosure.CELL: 2}
    return (
        results.with_columns(__level=pl.col("level").replace_strict(order, return_dtype=pl.Int8))
        .sort("__level", "department", "__rank", nulls_last=False)
        .drop("__level", "__rank")
    )


def compute_results(frame: pl.DataFrame | pl.LazyFrame, *, min_cell_size: int) -> pl.DataFrame:
    """The disclosure-controlled results table of a round (see the module doc)."""
    groups = aggregate(frame)
    safe = disclosure.suppress_groups(
        groups,
        indicators=indicator_names(),
        k=min_cell_size,
        means=[i.name for i in indicators() if i.kind == MEAN],
    )
    return _sorted(_values(safe))


def ucla_score_counts(frame: pl.DataFrame | pl.LazyFrame) -> dict[str, dict[int, int]]:
    """Per department, how many respondents had each UCLA-3 score (for the decision tool)."""
    counts = (
        frame.lazy()
        .select(pl.col("department").cast(pl.String), ucla_score().alias("score"))
        .drop_nulls("score")
        .group_by("department", "score")
        .len()
        .collect()
    )
    found: dict[str, dict[int, int]] = {}
    for department, score, count in counts.iter_rows():
        found.setdefault(department, {})[int(score)] = int(count)
    return {d: dict(sorted(c.items())) for d, c in found.items()}


@dataclass(frozen=True)
class Payloads:
    """The results as JSON text: the organisation's and departments' own groups, and each
    shown department's breakdown groups (JSON lists in the contract's group format)."""

    overview: str
    departments: dict[str, str]


_SUPPRESSED_INDICATOR = (
    '{"value":null,"ci_low":null,"ci_high":null,"denominator":null,"suppressed":true}'
)


def _group_json() -> pl.Expr:
    header = (
        pl.struct("department", "breakdown", "cell", "n", "suppressed")
        .struct.json_encode()
        .str.strip_suffix("}")
    )
    parts = []
    for name in indicator_names():
        figure = pl.struct(
            value=pl.col(name),
            ci_low=pl.col(f"{name}__low"),
            ci_high=pl.col(f"{name}__high"),
            denominator=pl.col(f"{name}__den"),
        ).struct.json_encode()
        parts.append(
            pl.when(~pl.col("suppressed")).then(
                pl.concat_str(
                    pl.lit(f'"{name}":'),
                    pl.when(pl.col(f"{name}__suppressed"))
                    .then(pl.lit(_SUPPRESSED_INDICATOR))
                    .otherwise(figure),
                )
            )
        )
    body = pl.concat_str(parts, separator=",", ignore_nulls=True).fill_null("")
    return pl.concat_str(header, pl.lit(',"indicators":{'), body, pl.lit("}}"))


def to_payloads(results: pl.DataFrame) -> Payloads:
    """JSON text of every group, as stored on close and served by every surface."""
    encoded = results.select("level", "department", json=_group_json())
    top = encoded.filter(pl.col("level") != disclosure.CELL)
    overview = "[" + ",".join(top.get_column("json").to_list()) + "]"
    per_department = (
        encoded.filter(pl.col("level") == disclosure.CELL)
        .group_by("department", maintain_order=True)
        .agg(pl.col("json").str.join(","))
    )
    departments = {d: f"[{body}]" for d, body in per_department.iter_rows()}
    shown = results.filter(
        (pl.col("level") == disclosure.DEPARTMENT) & ~pl.col("suppressed")
    ).get_column("department")
    for department in shown.to_list():
        departments.setdefault(department, "[]")
    return Payloads(overview=overview, departments=departments)
