"""One preview of the planning page (issue 9 point 13): the plan and its what-if table.

Every change of a field on ``/beslutninger/ny/`` recomputes the plan and the table of the same
plan at 0.5×, 1× and 1.5× the budget. Measured in the same run, on the demo's department A1
(survey round ``eksempel-2024``, Engparkens Fælleshus from the booking demo), 10,000 draws:

- **baseline (the old way, reproduced here)**: the plan, then ``compute_plan`` three more times,
  once per budget (evidence, catalogue, parameters and booking figures read again, the whole
  plan with its sensitivity analysis and JSON built again);
- **now**: the plan, then ``planning.what_if``: the plan's own model and draws, one portfolio
  choice and one evaluation per other budget; the 1× row is the plan itself.

Prints the median of ``--repeat`` previews of each (interleaved) and the ratio. Uses a
temporary SQLite database (or ``--database-url``) with the demo data; needs no server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FACTORS = (0.5, 1.0, 1.5)


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


def old_preview(department: Any, request: Any) -> list[float]:
    """The plan and the what-if table as the page computed them before: four whole plans."""
    from lokalsamfund.decisions import planning

    planning.compute_plan(department=department, request=request, language="da")
    rows = []
    for factor in FACTORS:
        req = planning.PlanRequest(
            **{**request.__dict__, "budget_dkk": request.budget_dkk * factor}
        )
        data = planning.compute_plan(department=department, request=req, language="da").data
        rows.append(data["totals"]["social_value_dkk"]["p50"])
    return rows


def new_preview(department: Any, request: Any) -> list[float]:
    """The plan, then the what-if table from its own model and draws."""
    from lokalsamfund.decisions import planning

    computed = planning.compute_plan(department=department, request=request, language="da")
    return [round(v.social_value.p50) for v in planning.what_if(computed, FACTORS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--budget", type=float, default=150_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _django(args.database_url, data_dir)
        from django.utils import translation

        from lokalsamfund.core.demo import load_demo
        from lokalsamfund.core.models import Department
        from lokalsamfund.decisions import planning

        load_demo()
        department = Department.objects.get(code="A1", organisation__slug="eksempel")
        request = planning.PlanRequest(
            budget_dkk=args.budget, round_slug="eksempel-2024", draws=args.draws
        )
        times: dict[str, list[float]] = {"baseline": [], "now": []}
        with translation.override("da"):
            old_rows = old_preview(department, request)  # warm-up (imports, caches)
            new_rows = new_preview(department, request)
            for _ in range(args.repeat):
                for name, run in (("baseline", old_preview), ("now", new_preview)):
                    start = time.perf_counter()
                    run(department, request)
                    times[name].append(time.perf_counter() - start)
    base, now = statistics.median(times["baseline"]), statistics.median(times["now"])
    print(f"plan preview, department A1, {args.draws} draws, budgets × {FACTORS}")
    print(f"social value P50 by budget: baseline {old_rows}, now {new_rows}")
    print(f"baseline (plan + 3 whole plans): median {base * 1000:.0f} ms over {args.repeat}")
    print(f"now (plan + what_if):            median {now * 1000:.0f} ms over {args.repeat}")
    print(f"ratio now/baseline: {now / base:.2f}")


if __name__ == "__main__":
    main()
