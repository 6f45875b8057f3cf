"""40 concurrent sign-ups for 10 places through HTTP on PostgreSQL: exactly 10 confirmed.

A live server (gunicorn, 4 sync workers, as ``lokalsamfund serve`` runs them) on its own
database ``bench_signups`` on 127.0.0.1:5432 (dropped and created) and a temporary data
folder. 40 residents, each with an API token, are released at the same moment by a barrier
(one Python thread and one HTTP connection each) and send
``POST /api/v1/activities/occurrences/{id}/signups``. The script then reads the database and
prints: answers by status, confirmed sign-ups (must be 10), waitlist positions (must be
1..30, unique), and the request latencies (median, max). It exits non-zero when an invariant
fails. Options: --clients, --capacity, --rounds, --port.

Honest limits: the clients run on the same 2-core machine as the server, and 4 workers serve
40 connections, so requests queue in gunicorn's backlog as well as on the occurrence's row
lock; the race is still real (several workers hold open transactions on the same row at once).
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from live_server import HOST, env_for, free_port, recreate_database, start_gunicorn

DB_NAME = "bench_signups"
SERVER = ["--workers", "4", "--worker-class", "sync", "--backlog", "128"]


SETUP = """
import json, sys
import django; django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from lokalsamfund.activities.models import Activity, Occurrence
from lokalsamfund.core.models import Department, Membership, Organisation, User
from lokalsamfund.core.tokens import token_create
clients, capacity, rounds = (int(a) for a in sys.argv[1:4])
org = Organisation.objects.create(name="Bench", slug="bench", cvr="99999999")
dept = Department.objects.create(organisation=org, code="A1", name="A1")
start = timezone.now() + timedelta(days=7)
activity = Activity.objects.create(
    organisation=org, activity_type="shared_meal", title="Fællesspisning", status="published",
    starts_at=start, duration_minutes=120, signup_required=True, capacity=capacity,
    place="Fælleshuset",
)
activity.departments.set([dept])
occurrences = []
for i in range(rounds):
    at = start + timedelta(days=7 * i)
    occurrences.append(Occurrence.objects.create(
        activity=activity, recurrence_id=at, starts_at=at, ends_at=at + timedelta(hours=2)
    ).pk)
tokens = []
for i in range(clients):
    user = User.objects.create_user(f"beboer{i}@example.org", "x")
    membership = Membership.objects.create(user=user, organisation=org, role="resident")
    membership.departments.set([dept])
    tokens.append(token_create(user=user))
print(json.dumps({"occurrences": occurrences, "tokens": tokens}))
"""

REPORT = """
import json, sys
import django; django.setup()
from lokalsamfund.activities.models import SignUp
rows = SignUp.objects.filter(occurrence_id=int(sys.argv[1]))
print(json.dumps({
    "confirmed": rows.filter(status="confirmed").count(),
    "positions": sorted(
        rows.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    ),
    "total": rows.count(),
}))
"""


def run_python(code: str, env: dict[str, str], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def race(port: int, occurrence: int, tokens: list[str]) -> list[tuple[int, float]]:
    """Every token signs up at the same moment; (status, seconds) per request."""
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[int, float]] = [(0, 0.0)] * len(tokens)
    path = f"/api/v1/activities/occurrences/{occurrence}/signups"
    body = json.dumps({"places": 1})

    def one(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {"Authorization": f"Bearer {tokens[i]}", "Content-Type": "application/json"}
        conn.connect()
        barrier.wait()
        began = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            results[i] = (response.status, time.perf_counter() - began)
        except OSError:
            results[i] = (-1, time.perf_counter() - began)
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="races, each on a fresh occurrence")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="bench-signups-")
    env = env_for(data_dir, database=DB_NAME)
    failed = False
    try:
        recreate_database(DB_NAME)
        world = run_python(SETUP, env, str(args.clients), str(args.capacity), str(args.rounds))
        server = start_gunicorn(env, args.port or free_port(), SERVER)
        port = int(server.args[server.args.index("--bind") + 1].rsplit(":", 1)[1])
        try:
            print(
                f"{args.clients} concurrent sign-ups for {args.capacity} places, "
                f"gunicorn {' '.join(SERVER)}, PostgreSQL"
            )
            for n, occurrence in enumerate(world["occurrences"], 1):
                results = race(port, occurrence, world["tokens"])
                report = run_python(REPORT, env, str(occurrence))
                statuses: dict[int, int] = {}
                for status, _seconds in results:
                    statuses[status] = statuses.get(status, 0) + 1
                latencies = sorted(seconds for _status, seconds in results)
                positions = report["positions"]
                expected = list(range(1, args.clients - args.capacity + 1))
                ok = report["confirmed"] == args.capacity and positions == expected
                failed |= not ok
                print(
                    f"round {n}: answers {dict(sorted(statuses.items()))}; "
                    f"confirmed {report['confirmed']} (must be {args.capacity}); "
                    f"waitlist positions {positions[0] if positions else '-'}.."
                    f"{positions[-1] if positions else '-'}, {len(positions)} unique and "
                    f"gap-free: {positions == expected}; latency median "
                    f"{statistics.median(latencies) * 1000:.0f} ms, max "
                    f"{latencies[-1] * 1000:.0f} ms; {'OK' if ok else 'FAILED'}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
