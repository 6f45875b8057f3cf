"""Benchmark: the results of a national-scale round (issue 3, item 9).

1,000,000 synthetic responses over 7,085 departments (``surveys.synthetic``). Prints

(a) time and peak memory to compute the full, disclosure-controlled results from an
    in-memory Polars frame (``analysis.compute_results``), and the JSON payloads;
(b) time from the database to stored results (``services.results_store``: read, compute,
    store), on SQLite and on PostgreSQL (when one answers on 127.0.0.1:5432);
and a straightforward baseline on the same data: a per-department pandas groupby loop that
computes the same indicators without disclosure control, with the ratio.

Each part runs in a fresh process, so peak memory is its own. Targets on the 2-core
machine: (a) ≤ 2 s and ≤ 1.5 GB, (b) ≤ 15 s. Figures are written up in docs/performance.md.
Run: ``make bench`` or ``.venv/bin/python benchmarks/survey_results.py [--responses N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

RESPONSES = 1_000_000
DEPARTMENTS = 7_085
SEED = 2023
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "lokalsamfund_bench_surveys"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _frame(responses: int):
    from lokalsamfund.surveys import synthetic

    return synthetic.responses(responses, department_count=DEPARTMENTS, seed=SEED)


def part_memory(responses: int) -> dict[str, float]:
    from lokalsamfund.surveys import analysis

    frame = _frame(responses)
    analysis.compute_results(frame.head(10_000), min_cell_size=5)  # warm up imports
    before = _rss_mb()
    start = time.perf_counter()
    results = analysis.compute_results(frame, min_cell_size=5)
    compute = time.perf_counter() - start
    peak_compute = _peak_mb()
    start = time.perf_counter()
    payloads = analysis.to_payloads(results)
    encode = time.perf_counter() - start
    return {
        "compute_s": compute,
        "json_s": encode,
        "frame_rss_mb": before,
        "peak_rss_mb": peak_compute,
        "peak_rss_with_json_mb": _peak_mb(),
        "groups": results.height,
        "json_mb": (len(payloads.overview) + sum(map(len, payloads.departments.values()))) / 2**20,
    }


def _django(database_url: str, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "lokalsamfund.settings"
    os.environ["LOKALSAMFUND_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def part_database(responses: int, database_url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        _django(database_url, data_dir)
        import datetime as dt

        from django.db import connection, transaction

        from lokalsamfund.core.models import Department, Organisation
        from lokalsamfund.core.permissions import SYSTEM
        from lokalsamfund.surveys import frames, services, synthetic
        from lokalsamfund.surveys.models import Channel

        organisation = Organisation.objects.create(name="Bench", slug="bench", cvr="99999999")
        codes = synthetic.department_codes(DEPARTMENTS)
        Department.objects.bulk_create(
            [Department(organisation=organisation, code=c, name=c) for c in codes],
            batch_size=2000,
        )
        departments = list(Department.objects.filter(organisation=organisation))
        survey_round = services.round_create(
            actor=SYSTEM,
            organisation=organisation,
            slug="bench",
            title="Bench",
            departments=departments,
            open_now=True,
        )
        start = time.perf_counter()
        with transaction.atomic():
            frames.responses_insert(
                round_id=survey_round.pk,
                frame=_frame(responses),
                department_ids={d.code: d.pk for d in departments},
                channel=Channel.IMPORT,
                submitted_on=dt.date(2025, 1, 1),
            )
        load = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        start = time.perf_counter()
        stored = services.results_store(survey_round=survey_round)
        total = time.perf_counter() - start
        start = time.perf_counter()
        frame = frames.responses_frame(survey_round.pk)
        read = time.perf_counter() - start
        assert stored.respondents == responses == frame.height
        return {
            "insert_s": load,
            "read_s": read,
            "db_to_stored_s": total,
            "peak_rss_mb": _peak_mb(),
        }


def part_baseline(responses: int) -> dict[str, float]:
    """Per-department pandas loop: the same indicators, no disclosure control."""
    import pandas as pd

    from lokalsamfund.surveys import instrument

    source = _frame(responses)
    frame = pd.DataFrame({c: source.get_column(c).to_numpy() for c in source.columns})
    ucla = frame[list(instrument.UCLA_ITEMS)].sum(axis=1, min_count=3)
    who5 = frame[list(instrument.WHO5_ITEMS)].sum(axis=1, min_count=5) * 4
    flags = {b: frame[list(instrument.canonical().flag_codes(b))] for b in instrument.FLAG_BLOCKS}
    derived = pd.DataFrame(
        {
            "department": frame["department"],
            "ucla": ucla,
            "severe": (ucla >= 7).where(ucla.notna()),
            "lonely_often": (frame["lonely_direct"] == 5).where(frame["lonely_direct"].notna()),
            "unwanted": (frame["unwanted_alone"] == 4).where(frame["unwanted_alone"].notna()),
            "who5": who5,
            "who5_low": (who5 <= 50).where(who5.notna()),
            "who5_very_low": (who5 <= 28).where(who5.notna()),
            "participation": (frame["participates"] >= 2).where(frame["participates"].notna()),
            "regular": (frame["participates"] == 4).where(frame["participates"].notna()),
            "belonging": (frame["belonging"] >= 4).where(frame["belonging"].notna()),
            **{
                c: frame[c]
                .where(flags[b].notna().any(axis=1))
                .fillna(0)
                .where(flags[b].notna().any(axis=1))
                for b in instrument.FLAG_BLOCKS
                for c in instrument.canonical().flag_codes(b)
            },
            **{b: frame[b] for b in instrument.BREAKDOWNS},
        }
    )
    value_columns = [c for c in derived.columns if c not in {"department", *instrument.BREAKDOWNS}]
    start = time.perf_counter()
    out = []
    for department, group in derived.groupby("department"):
        values = group[value_columns]
        out.append((department, None, values.mean(), values.count()))
        for breakdown in instrument.BREAKDOWNS:
            cells = values.groupby(group[breakdown].fillna(-1))
            out.append((department, breakdown, cells.mean(), cells.count()))
    elapsed = time.perf_counter() - start
    return {"baseline_s": elapsed, "tables": len(out)}


def _run_part(name: str, responses: int, database_url: str = "") -> dict[str, float]:
    command = [sys.executable, __file__, "--part", name, "--responses", str(responses)]
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"part {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_database() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    except Exception as exc:  # no server: skip that part, say so
        print(f"PostgreSQL not available ({type(exc).__name__}); skipping (b) on PostgreSQL.")
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DATABASE}"


def _drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=RESPONSES)
    parser.add_argument("--part", choices=["memory", "database", "baseline"])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.part == "memory":
        print(json.dumps(part_memory(args.responses)))
        return
    if args.part == "database":
        print(json.dumps(part_database(args.responses, args.database_url)))
        return
    if args.part == "baseline":
        print(json.dumps(part_baseline(args.responses)))
        return

    n = args.responses
    print(
        f"Survey results: {n:,} synthetic responses over {DEPARTMENTS:,} departments, "
        f"{os.cpu_count()} cores"
    )
    memory = _run_part("memory", n)
    print(
        f"(a) in memory: compute {memory['compute_s']:.2f} s (target ≤ 2 s), peak RSS "
        f"{memory['peak_rss_mb']:.0f} MB of which the input frame {memory['frame_rss_mb']:.0f} MB "
        f"(target ≤ 1.5 GB); {memory['groups']:,} groups; JSON payloads "
        f"{memory['json_s']:.2f} s, {memory['json_mb']:.0f} MB"
    )
    sqlite = _run_part("database", n)
    print(
        f"(b) SQLite: database to stored results {sqlite['db_to_stored_s']:.2f} s (target ≤ 15 s; "
        f"reading the responses {sqlite['read_s']:.2f} s; setup insert {sqlite['insert_s']:.1f} s)"
    )
    url = _postgres_database()
    if url:
        try:
            postgres = _run_part("database", n, url)
        finally:
            _drop_postgres_database()
        print(
            f"(b) PostgreSQL: database to stored results {postgres['db_to_stored_s']:.2f} s "
            f"(target ≤ 15 s; reading the responses {postgres['read_s']:.2f} s; "
            f"setup insert {postgres['insert_s']:.1f} s)"
        )
    baseline = _run_part("baseline", n)
    print(
        f"Baseline (per-department pandas groupby loop, no disclosure control): "
        f"{baseline['baseline_s']:.1f} s; ratio baseline / (a) = "
        f"{baseline['baseline_s'] / memory['compute_s']:.0f}x"
    )


if __name__ == "__main__":
    main()
