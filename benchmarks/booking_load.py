"""Booking under load: two gunicorn processes on PostgreSQL, 32 concurrent HTTP clients.

Books random, heavily overlapping slots through ``POST /api/v1/bookings`` for 30 s and prints
attempts/s, successes, 409s, p50/p99 latency and the number of overlapping bookings in the
database afterwards (must be 0). In the same run the same load goes to a bare endpoint that
only inserts a row (benchmark-only URLconf in booking_site/), and the throughput ratio is printed.
Target: ratio >= 0.5 and p99 <= 250 ms.

Uses its own database ``bench_bookings`` on 127.0.0.1:5432 (dropped and created), a temporary
data folder, and clients on loopback only. Options: --seconds, --clients, --port.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "bench_bookings"
HOST = "127.0.0.1"
PROCESSES = 4  # client processes; threads per process = clients / PROCESSES


def env_for(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "LOKALSAMFUND_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "booking_site.settings",
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "src")]),
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


SETUP = """
import django; django.setup()
from datetime import time
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
with connection.cursor() as c:
    c.execute("CREATE TABLE bench_rows (id bigserial PRIMARY KEY, payload bytea, "
              "at timestamptz DEFAULT now())")
from lokalsamfund.core.models import Organisation, Department, Membership, User
from lokalsamfund.core.tokens import token_create
from lokalsamfund.bookings.models import Facility, Room
org = Organisation.objects.create(name="Bench", slug="bench", cvr="99999999")
dept = Department.objects.create(organisation=org, code="A1", name="A1")
house = Facility.objects.create(organisation=org, department=dept, slug="bench-house", name="Bench",
    opens_at=time(0), closes_at=time(0), min_duration_minutes=60, max_duration_minutes=26 * 60,
    monthly_quota_per_household=0)
for name in ("Salen", "Mødelokalet"):
    Room.objects.create(facility=house, name=name)
user = User.objects.create_user("bench@example.org", "x")
Membership.objects.create(user=user, organisation=org, role="coordinator")
from lokalsamfund.bookings.services import policy_profile_install_default
policy_profile_install_default(organisation=org, actor=None)
print(token_create(user=user))
"""


def setup(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lokalsamfund.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=str(ROOT),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def booking_body(rng: random.Random, base: datetime) -> bytes:
    # 14 days x 24 h, 1-4 h long, whole house or one of two rooms: heavy overlap.
    start = base + timedelta(hours=rng.randrange(14 * 24))
    end = start + timedelta(hours=rng.randint(1, 4))
    choice = rng.randrange(3)
    body = {
        "facility": "bench-house",
        "use_type": "community_activity",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": "Belastning",
        "whole_house": choice == 0,
        "rooms": [] if choice == 0 else [["Salen", "Mødelokalet"][choice - 1]],
    }
    return json.dumps(body).encode()


def client_process(args: tuple[str, int, str, float, int, int]) -> list[tuple[int, float]]:
    """One client process with ``threads`` threads; each sends requests until ``stop_at``."""
    kind, port, token, stop_at, threads, seed = args
    base = datetime.fromisoformat("2030-01-07T00:00:00+01:00")

    def run(thread: int) -> list[tuple[int, float]]:
        rng = random.Random(seed * 1000 + thread)
        results = []
        while time.time() < stop_at:
            if kind == "booking":
                path, body = "/api/v1/bookings", booking_body(rng, base)
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            else:
                path, body, headers = "/bench/insert", b"x" * 200, {}
            began = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except OSError:
                status = 0
            results.append((status, time.perf_counter() - began))
        return results

    with ThreadPoolExecutor(threads) as pool:
        return [r for part in pool.map(run, range(threads)) for r in part]


def load(kind: str, port: int, token: str, seconds: float, clients: int) -> dict[str, float]:
    stop_at = time.time() + seconds
    per = max(1, clients // PROCESSES)
    with Pool(PROCESSES) as pool:
        parts = pool.map(
            client_process, [(kind, port, token, stop_at, per, i + 1) for i in range(PROCESSES)]
        )
    results = [r for part in parts for r in part]
    latencies = sorted(lat for _status, lat in results)
    statuses = [s for s, _lat in results]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "attempts": len(results),
        "per_second": len(results) / seconds,
        "ok": sum(1 for s in statuses if s == 201),
        "conflicts": sum(1 for s in statuses if s == 409),
        "other": sum(1 for s in statuses if s not in (201, 409)),
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
    }


def overlapping_bookings() -> int:
    import psycopg

    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        row = conn.execute(
            """
            SELECT COUNT(*) FROM bookings_bookingclaim a
            JOIN bookings_bookingclaim b ON a.room_id = b.room_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.active AND b.active
            """
        ).fetchone()
        return int(row[0]) if row else -1


def report(name: str, r: dict[str, float]) -> None:
    print(
        f"{name:<10} attempts {r['attempts']:>6.0f}  {r['per_second']:>7.1f}/s  "
        f"201 {r['ok']:>6.0f}  409 {r['conflicts']:>6.0f}  other {r['other']:>4.0f}  "
        f"p50 {r['p50_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    recreate_database()
    with tempfile.TemporaryDirectory(prefix="bench-bookings-") as data_dir:
        env = env_for(data_dir)
        token = setup(env)
        port = args.port or free_port()
        server = start_gunicorn(env, port)
        try:
            print(
                f"booking_load: 2 gunicorn workers on PostgreSQL ({DB_NAME}), "
                f"{args.clients} clients, {args.seconds:.0f} s each"
            )
            baseline = load("baseline", port, token, args.seconds, args.clients)
            booking = load("booking", port, token, args.seconds, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report("baseline", baseline)
    report("booking", booking)
    overlaps = overlapping_bookings()
    ratio = booking["per_second"] / baseline["per_second"] if baseline["per_second"] else 0.0
    print(f"overlapping bookings in the database: {overlaps}")
    print(f"throughput ratio booking/baseline: {ratio:.2f} (target >= 0.5)")
    print(f"booking p99: {booking['p99_ms']:.1f} ms (target <= 250 ms)")
    if overlaps != 0:
        raise SystemExit("FAIL: overlapping bookings")


if __name__ == "__main__":
    main()
