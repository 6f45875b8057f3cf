"""Responses (and stored results) between the database and Polars frames, in bulk.

``responses_frame`` reads a round's responses (department code + canonical columns) for the
analysis: PostgreSQL streams them with ``COPY ... TO STDOUT``, SQLite through one cursor.
``responses_insert`` writes a frame of responses (demo data, imports, benchmarks): ``COPY
FROM STDIN`` on PostgreSQL, ``executemany`` on SQLite.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Mapping

import numpy as np
import polars as pl
from django.db import connection

from lokalsamfund.core.models import Department

from . import instrument
from .models import RANDOM_ID_MAX, Channel, DepartmentResults, SurveyResponse

_INT = pl.Int16


def _schema() -> dict[str, pl.DataType]:
    return {"department": pl.String(), "staff": pl.Boolean()} | {
        c: _INT() for c in instrument.column_codes()
    }


# Answers staff typed in (disclosure.py rule 6): they know them, so they do not count to k.
STAFF_CHANNELS = (Channel.PAPER.value, Channel.IMPORT.value)
_ABSENT = 15  # an answer code never used (codes are 0..7); stands for "not answered"


def responses_frame(round_id: int) -> pl.DataFrame:
    """Every response of a round as a frame (``department`` code, ``staff`` (entered by staff:
    paper or import) and the canonical columns).

    The database packs each response's answers into one ASCII string (character ``48 +
    code``) and joins a department's strings into one, so the driver returns one row per
    department instead of 44 values per response; NumPy unpacks them.
    """
    codes = instrument.column_codes()
    quote = connection.ops.quote_name
    characters = [f"48 + COALESCE(r.{quote(c)}, {_ABSENT})" for c in codes]
    if connection.vendor == "postgresql":
        packed = "string_agg(" + " || ".join(f"chr({c})" for c in characters) + ", '')"
    else:
        packed = f"group_concat(char({', '.join(characters)}), '')"
    staff = f"CASE WHEN r.{quote('channel')} IN (%s, %s) THEN 1 ELSE 0 END"
    sql = (
        f"SELECT d.{quote('code')}, {staff}, COUNT(*), {packed} "  # noqa: S608 - names are ours
        f"FROM {quote(SurveyResponse._meta.db_table)} r "
        f"JOIN {quote(Department._meta.db_table)} d ON d.id = r.department_id "
        f"WHERE r.round_id = %s GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*STAFF_CHANNELS, round_id])
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema=_schema())
    departments, by_staff, counts, answers = zip(*rows, strict=True)
    total = sum(counts)
    packed_bytes = np.frombuffer("".join(answers).encode("ascii"), dtype=np.uint8)
    matrix = packed_bytes.reshape(total, len(codes)).astype(np.int16) - 48
    frame = pl.DataFrame(
        {
            "department": pl.Series(departments, dtype=pl.String).gather(
                np.repeat(np.arange(len(departments)), counts)
            )
        }
        | {"staff": np.repeat(np.array(by_staff, dtype=bool), counts)}
        | {c: matrix[:, i] for i, c in enumerate(codes)}
    )
    return frame.with_columns(
        [pl.when(pl.col(c) != _ABSENT).then(pl.col(c)).alias(c) for c in codes]
    )


def responses_insert(
    *,
    round_id: int,
    frame: pl.DataFrame,
    department_ids: Mapping[str, int],
    channel: str,
    submitted_on: dt.date,
) -> int:
    """Insert every row of ``frame`` (``department`` code + canonical columns) as a response."""
    codes = instrument.column_codes()
    ids = frame.get_column("department").replace_strict(dict(department_ids), return_dtype=pl.Int64)
    # Random ids, as the model's default gives (models.random_id): never in arrival order.
    ids_random = np.random.default_rng(secrets.randbits(128)).integers(
        1, RANDOM_ID_MAX, size=frame.height, dtype=np.int64
    )
    table = frame.select(
        pl.Series("id", ids_random),
        pl.lit(round_id, pl.Int64).alias("round_id"),
        ids.alias("department_id"),
        pl.lit(channel).alias("channel"),
        pl.lit(submitted_on).alias("submitted_on"),
        pl.lit("{}").alias("extra"),
        *[pl.col(c).cast(pl.Int16) for c in codes],
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in table.columns)
    db_table = quote(SurveyResponse._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            table.write_csv(buffer, include_header=False)
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY {db_table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            sql = f"INSERT INTO {db_table} ({names}) VALUES ({marks})"  # noqa: S608 - ours
            text_dates = table.with_columns(pl.col("submitted_on").cast(pl.String))
            for part in text_dates.iter_slices(50_000):
                cursor.executemany(sql, part.rows())
    return table.height


def department_results_insert(rows: list[tuple[int, int, str, str]]) -> None:
    """Store (round id, department id, breakdowns JSON, UCLA score counts JSON) rows: COPY on
    PostgreSQL (the ORM's array parameters are slow for megabytes of text), else one
    ``executemany``."""
    quote = connection.ops.quote_name
    table = quote(DepartmentResults._meta.db_table)
    names = ", ".join(
        quote(c) for c in ("round_id", "department_id", "breakdowns_json", "ucla_score_counts")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s)"  # noqa: S608 - ours
            cursor.executemany(sql, rows)
