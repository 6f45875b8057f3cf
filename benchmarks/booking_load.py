"""Booking under load: two gunicorn processes on PostgreSQL, 32 concurrent HTTP clients.

Books random, heavily overlapping slots through ``POST /api/v1/bookings`` for 30 s and prints
attempts/s, successes, 409s, p50/p99 latency and the number of overlapping bookings in the
database afterwards (must be 0). In the same run the same load goes to a bare endpoint that
only inserts a row (benchmark-only URLconf in booking_site/): the same WSGI app, middleware,
bearer-token authentication and request schema, then one INSERT instead of the booking
service. The throughput ratio booking/baseline is printed. Target: ratio >= 0.5 and
p99 <= 250 ms.

The load generator is ``wrk`` (Debian: ``apt-get install wrk``) with a Lua script that draws
the random slots, so that the clients cost little CPU next to the servers on a small machine.
Both runs use the identical server (gunicorn, 2 sync workers, see ``SERVER``) and the
identical load (32 connections, each sending its next request when the answer has come; the
same bodies and headers); only the path differs. Also printed: the servers' CPU time per
request (gunicorn workers and their PostgreSQL backends), which depends less on what else
runs on the machine than the throughput does.

Uses its own database ``bench_bookings`` on 127.0.0.1:5432 (dropped and created), a temporary
data folder, and clients on loopback only. Options: --seconds, --clients, --port.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from live_server import HERE, HOST, PG, env_for, free_port, recreate_database, start_gunicorn

DB_NAME = "bench_bookings"
WRK_THREADS = 2  # wrk's own threads (C, event loops); the connections are the clients
WARM_UP_SECONDS = 2  # baseline requests before the measured runs (imports, DB connections)
# The server of both runs: gunicorn's sync workers, as `lokalsamfund serve` runs them. They
# close the connection after each response, and wrk (C) reconnects at little cost. Measured
# alternative: gthread workers (keep-alive, 4 or 16 threads) cost more server CPU per booking
# (GIL contention) and had a worse p99 on this 2-core machine (docs/performance.md).
SERVER = ["--workers", "2", "--worker-class", "sync"]
PATHS = {"baseline": "/bench/api/insert", "booking": "/api/v1/bookings"}


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
from lokalsamfund.core.permissions import SYSTEM
policy_profile_install_default(organisation=org, actor=SYSTEM)
print(token_create(user=user))
"""


def setup(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


# wrk's Lua script: random, heavily overlapping slots (14 days x 24 h, 1-4 h long, the whole
# house or one of two rooms), the same bodies for both runs; counts answers by status.
LUA = r"""
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 * id + 7)
  ok, conflicts, other = 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end

local base = 1893970800 -- 2030-01-07T00:00:00+01:00, a Monday (no DST change in 14 days)
local rooms = {"Salen", "M\195\184delokalet"}

local function iso(t)
  -- The benchmark's server runs in Europe/Copenhagen; January is UTC+1.
  return os.date("!%Y-%m-%dT%H:%M:%S+01:00", t + 3600)
end

function request()
  local start = base + 3600 * math.random(0, 14 * 24 - 1)
  local stop = start + 3600 * math.random(1, 4)
  local choice = math.random(0, 2)
  local whole, chosen = "false", "[\"" .. (rooms[choice] or "") .. "\"]"
  if choice == 0 then whole, chosen = "true", "[]" end
  local body = string.format(
    '{"facility": "bench-house", "use_type": "community_activity", "start": "%s", ' ..
    '"end": "%s", "title": "Belastning", "whole_house": %s, "rooms": %s}',
    iso(start), iso(stop), whole, chosen)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then ok = ok + 1
  elseif status == 409 then conflicts = conflicts + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {ok = 0, conflicts = 0, other = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "ok": %d, "conflicts": %d, ' ..
    '"other": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, totals.ok, totals.conflicts, totals.other,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50),
    latency:percentile(99), latency.max))
end
"""


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(
            "booking_load needs the HTTP load generator wrk: on Debian/Ubuntu "
            "`apt-get install wrk` (or build it from https://github.com/wg/wrk)."
        )
    return wrk


def load(
    wrk: str, script: Path, kind: str, port: int, token: str, seconds: float, clients: int
) -> dict[str, float]:
    """``clients`` connections sending requests one after another for ``seconds``."""
    out = subprocess.run(
        [
            wrk,
            "--threads",
            str(min(WRK_THREADS, clients)),
            "--connections",
            str(clients),
            "--duration",
            f"{seconds:.0f}s",
            "--timeout",
            "30s",
            "--script",
            str(script),
            f"http://{HOST}:{port}{PATHS[kind]}",
        ],
        env={**os.environ, "BENCH_TOKEN": token},
        check=True,
        capture_output=True,
        text=True,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")
    r = json.loads(line.removeprefix("WRK_RESULT "))
    duration = r["duration_us"] / 1e6
    return {
        "attempts": r["requests"],
        "per_second": r["requests"] / duration,
        "ok": r["ok"],
        "conflicts": r["conflicts"],
        "other": r["other"] + r["socket_errors"],
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(master: int) -> dict[int, float]:
    """CPU seconds so far of the gunicorn workers (children of ``master``) and of the
    PostgreSQL backends serving the benchmark database, by process id."""
    import psycopg

    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        ).fetchall()
    pids += [int(row[0]) for row in rows]
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


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
        f"p50 {r['p50_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms  "
        f"server CPU {r['cpu_ms']:>5.2f} ms/request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    wrk = require_wrk()
    recreate_database(DB_NAME)
    with tempfile.TemporaryDirectory(prefix="bench-bookings-") as data_dir:
        env = env_for(
            data_dir,
            database=DB_NAME,
            settings="booking_site.settings",
            path=(HERE,),
            # Database connections outlive both runs (the product default of 60 s would close
            # and reopen them mid-run), so that the servers' CPU can be counted per request.
            CONN_MAX_AGE="600",
        )
        token = setup(env)
        script = Path(data_dir) / "booking_load.lua"
        script.write_text(LUA, encoding="utf-8")
        port = args.port or free_port()
        server = start_gunicorn(env, port, SERVER, wait_seconds=30)
        try:
            print(
                f"booking_load: gunicorn {' '.join(SERVER)} on PostgreSQL ({DB_NAME}); "
                f"wrk, {args.clients} clients, {args.seconds:.0f} s each"
            )
            load(wrk, script, "baseline", port, token, WARM_UP_SECONDS, args.clients)
            results = {}
            for kind in ("baseline", "booking"):
                before = server_cpu(server.pid)
                results[kind] = load(wrk, script, kind, port, token, args.seconds, args.clients)
                used = cpu_used(before, server_cpu(server.pid))
                results[kind]["cpu_ms"] = 1000 * used / max(1, results[kind]["attempts"])
            baseline, booking = results["baseline"], results["booking"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    report("baseline", baseline)
    report("booking", booking)
    overlaps = overlapping_bookings()
    ratio = booking["per_second"] / baseline["per_second"] if baseline["per_second"] else 0.0
    print(f"overlapping bookings in the database: {overlaps}")
    print(f"throughput ratio booking/baseline: {ratio:.2f} (target >= 0.5)")
    cpu_ratio = baseline["cpu_ms"] / booking["cpu_ms"] if booking["cpu_ms"] else 0.0
    print(
        f"server CPU per request baseline/booking: {cpu_ratio:.2f} (the ratio a machine "
        "with nothing else running would approach; for comparison only)"
    )
    print(f"booking p99: {booking['p99_ms']:.1f} ms (target <= 250 ms)")
    if overlaps != 0:
        raise SystemExit("FAIL: overlapping bookings")
    if baseline["other"] or booking["other"]:
        raise SystemExit("FAIL: answers other than 201 and 409 (see 'other')")


if __name__ == "__main__":
    main()
