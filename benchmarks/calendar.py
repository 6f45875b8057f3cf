"""The calendar "Det sker" under a year of dates (issue 11 point 10).

One department with 200 weekly activities and 5,000 stored dates over a year. Measured in the
same run, through Django's full request stack (middleware, sessions, templates; the test
client, no network), as server time per request:

- **calendar page**: ``/aktiviteter/afdeling/<id>/`` (list of the coming 28 days) and its week
  view, for a resident of the department;
- **API list**: ``GET /api/v1/activities/occurrences`` for 93 days (the longest period it
  allows), with a bearer token;
- **baseline**: a plain page (benchmark-only URL, same base template and middleware) that lists
  the same number of stored rows, read with one query, without visibility rules or
  recurrence: the cost of the request stack and of printing that many rows.

Prints median and p95 of ``--repeat`` requests of each (interleaved) and the ratios against
the baseline of the same size. Target: p95 <= 100 ms and <= 2x the baseline.

- **public iCal feed**: ``/aktiviteter/feed/<department id>.ics`` (``activities:department_feed``,
  no login), the department's public activities: about 1,670 events over the year here (a
  third of the activities are public), against a plain page of as many rows; as served (the
  feed is cached for 15 minutes) and as written when the cached copy has expired.

Uses a temporary SQLite database (or ``--database-url``, e.g.
postgres://postgres@127.0.0.1:5432/bench_calendar, which must exist and be empty); needs no
server.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

# This script is named like the standard library's ``calendar`` (which dateutil and the e-mail
# package import). Run as a script, it takes its own folder off the path first, so that
# ``import calendar`` finds the real one. Imported as ``calendar`` by another script of this
# folder (through ``http.client``, say), it hands over the real module in its place.
_HERE = os.path.realpath(os.path.dirname(__file__))
_PATH = [p for p in sys.path if os.path.realpath(p or ".") != _HERE]
if __name__ == "__main__":
    sys.path[:] = _PATH
elif __name__ == "calendar":
    _spec = importlib.machinery.PathFinder.find_spec("calendar", _PATH)
    assert _spec is not None  # the standard library has it
    assert _spec.loader is not None
    _real = importlib.util.module_from_spec(_spec)
    sys.modules["calendar"] = _real
    _spec.loader.exec_module(_real)

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ACTIVITIES = 200
UNCACHED = "feed, written (no cache)"
DATES = 5000
BASELINE_TEMPLATE = (
    '{% extends "base.html" %}{% block content %}<h1>Rows</h1><ul>'
    "{% for id, start, end, title in rows %}<li>{{ start }} {{ end }} {{ title }} {{ id }}</li>"
    "{% endfor %}</ul>{% endblock %}"
)


def baseline(request: Any) -> Any:
    """The plain page: the first ``n`` stored rows of the department's dates, one query."""
    from django.http import HttpResponse
    from django.template import engines

    from lokalsamfund.activities.models import Occurrence

    n = int(request.GET.get("n", "0"))
    rows = list(
        Occurrence.objects.order_by("starts_at").values_list(
            "pk", "starts_at", "ends_at", "activity__title"
        )[:n]
    )
    template = engines["django"].from_string(BASELINE_TEMPLATE)
    return HttpResponse(template.render({"rows": rows}, request))


def _urlpatterns() -> list[Any]:
    from django.urls import path

    from lokalsamfund.urls import urlpatterns

    return [path("bench/rows/", baseline), *urlpatterns]


urlpatterns: list[Any] = []


def _django(database_url: str, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "lokalsamfund.settings"
    os.environ["LOKALSAMFUND_DATA_DIR"] = data_dir
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOKALSAMFUND_PLAIN_STATIC", "1")  # no collectstatic manifest
    os.environ["SECRET_KEY"] = "benchmark-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    urlpatterns[:] = _urlpatterns()


def _populate() -> tuple[Any, Any, str]:
    """200 weekly activities of one department, 25 dates each over a year: bulk rows as the
    services store them (the services themselves are tested, not timed, here)."""
    from django.utils import timezone

    from lokalsamfund.activities.models import Activity, Occurrence
    from lokalsamfund.activities.recurrence import ZONE, expand
    from lokalsamfund.core.models import Department, Membership, Organisation, User
    from lokalsamfund.core.tokens import token_create

    org = Organisation.objects.create(name="Bench", slug="bench", cvr="99999999")
    dept = Department.objects.create(organisation=org, code="A1", name="Engparken")
    user = User.objects.create_user("beboer@example.org", "x")
    Membership.objects.create(user=user, organisation=org, role="resident").departments.set([dept])
    today = timezone.localdate()
    per = DATES // ACTIVITIES
    types = ["faellesspisning", "gaagruppe", "lektiecafe", "seniorklub", "aabent-hus-cafe"]
    rows = []
    for n in range(ACTIVITIES):
        first = datetime.combine(today + timedelta(days=n % 14), datetime.min.time(), ZONE)
        first += timedelta(hours=8 + n % 12)
        activity = Activity.objects.create(
            organisation=org,
            activity_type=types[n % len(types)],
            title=f"Aktivitet {n}",
            place="Gården",
            starts_at=first,
            duration_minutes=90,
            rrule=f"FREQ=WEEKLY;INTERVAL=2;COUNT={per}",
            status="published",
            visibility=("departments", "neighbours", "public")[n % 3],
        )
        activity.departments.set([dept])
        for slot in expand(
            starts_at=first,
            duration=timedelta(minutes=90),
            rule=activity.rrule,
            start=first,
            end=first + timedelta(days=400),
        ):
            rows.append(
                Occurrence(
                    activity=activity,
                    recurrence_id=slot.recurrence_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                )
            )
    Occurrence.objects.bulk_create(rows, batch_size=1000)
    return dept, user, token_create(user=user)


def _count(response: Any) -> int:
    """Rows shown: cards of a page, events of a feed."""
    if response["Content-Type"].startswith("text/calendar"):
        return int(response.content.count(b"BEGIN:VEVENT"))
    return int(response.content.count(b'class="card"'))


def targets(dept: Any, user: Any, token: str) -> list[tuple[str, str, dict[str, str]]]:
    from django.urls import reverse
    from django.utils import timezone

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=93)
    api = (
        f"/api/v1/activities/occurrences?department={dept.pk}"
        f"&start={start.isoformat().replace('+', '%2B')}&end={end.isoformat().replace('+', '%2B')}"
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return [
        ("calendar list (28 days)", f"/aktiviteter/afdeling/{dept.pk}/", {}),
        ("calendar week", f"/aktiviteter/afdeling/{dept.pk}/?view=week", {}),
        ("API list (93 days)", api, bearer),
        # The public feed (no login): the department's public activities, 30 days back and
        # the stored dates ahead (a third of the 200 activities here are public).
        ("public iCal feed", reverse("activities:department_feed", args=[dept.pk]), {}),
        (UNCACHED, reverse("activities:department_feed", args=[dept.pk]), {}),
    ]


def _measure(client: Any, url: str, headers: dict[str, str], *, fresh: bool = False) -> float:
    if fresh:  # the feed as written when its cached copy has expired
        from django.core.cache import cache

        cache.clear()
    start = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _django(args.database_url, data_dir)
        from django.test import Client

        from lokalsamfund.activities.models import Occurrence

        dept, user, token = _populate()
        client = Client()
        client.force_login(user)
        plan = []
        for name, url, headers in targets(dept, user, token):
            response = client.get(url, **headers)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            rows = len(response.json()) if "/api/" in url else _count(response)
            plan.append((name, url, headers, rows, f"/bench/rows/?n={rows}"))
        times: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            for name, url, headers, rows, base in plan:
                fresh = name == UNCACHED
                times.setdefault(name, []).append(_measure(client, url, headers, fresh=fresh))
                times.setdefault(f"baseline {rows}", []).append(_measure(client, base, {}))
        total = Occurrence.objects.count()
    print(f"calendar: 1 department, {ACTIVITIES} activities, {total} stored dates over a year")
    print(f"{'request':<28}{'rows':>6}{'median ms':>11}{'p95 ms':>9}{'base p95':>10}{'ratio':>7}")
    for name, _url, _headers, rows, _base in plan:
        own, base = times[name], times[f"baseline {rows}"]
        ratio = _p95(own) / _p95(base)
        print(
            f"{name:<28}{rows:>6}{statistics.median(own) * 1000:>11.1f}"
            f"{_p95(own) * 1000:>9.1f}{_p95(base) * 1000:>10.1f}{ratio:>7.2f}"
        )
    print("target: p95 <= 100 ms and <= 2x the baseline of the same number of rows")


if __name__ == "__main__":
    main()
