"""Requests per second of the diary's calls: the portal beside a lean peer, in one run.

Both apps are served by gunicorn with the same settings (sync workers, --workers N, --preload,
no access log) on the same database, and driven by wrk (Debian's package) with the Lua
scripts in benchmarks/wrk/, taking turns call by call and round by round so that a
change in the machine's load falls on both. The lean peer (benchmarks/lean_peer.py)
does the least the same calls need: a signed-cookie login, one user lookup, an INSERT
with a unique client_id and a commit, or a month's SELECT.

Calls, each as one guardian logged in on one device:
  post      POST /api/v1/patients/<id>/diary (JSON, fresh client_id per request)
  month     GET  /api/v1/patients/<id>/diary?from=<30 days ago> (27 entries)
  page      GET  /family/<id>/diary (the family's diary page; the peer's month read)
  post-32   the POST with --post-clients connections (p95 target: under 100 ms on PG)

Run:  .venv/bin/python -m benchmarks.throughput [--database URL] [--workers 2]
          [--threads 2] [--connections 8] [--seconds 8] [--rounds 2] [--post-clients 32]
(`make bench` runs it on SQLite with 2 workers, then on PostgreSQL with 4 when
BENCH_PG_URL names a database.) The portal runs with its rate limits off, since one
account posting thousands of entries a minute is what they exist to refuse, and with
plain-http cookies; everything else (device sessions, audit, CSRF, permissions) is on.
Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask import session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from benchmarks import lean_peer
from config import Config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECRET = "benchmark-only-secret"  # noqa: S105 - a throwaway key for a local benchmark
DATA_KEY = "npx9bRBfKqKqkd3JCbb0MzIpXgeH8nIawaXcBddg4ps="  # the test suite's throwaway key
MONTH_ENTRIES = 27


class BenchConfig(Config):
    """The portal as deployed, but over plain http and without rate limits."""

    SECRET_KEY = SECRET
    PORTAL_DATA_KEYS = DATA_KEY
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    ASSETS_AUTO_BUILD = False


def create_portal():
    """gunicorn's entry for the portal: BENCH_DATABASE_URL, BenchConfig."""
    from portal import create_app

    return create_app(BenchConfig, SQLALCHEMY_DATABASE_URI=os.environ["BENCH_DATABASE_URL"])


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed now when running as root and it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        apt = shutil.which("apt-get") or "apt-get"
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("The benchmark needs wrk. Install it as root with:  apt-get install -y wrk")


def seed_portal(url: str) -> dict:
    """A fresh schema, one child with two courses and a month of entries, one guardian
    logged in on one device; returns the ids, the cookie and the CSRF token."""
    from flask_migrate import stamp

    from portal import create_app
    from portal.auth.login import start_session
    from portal.auth.models import Role
    from portal.core.clock import today
    from portal.core.extensions import db
    from tests import factories as make

    app = create_app(BenchConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        stamp()
        patient = make.patient()
        make.course(patient, today() - timedelta(days=40))
        make.course(patient, today() - timedelta(days=12))
        for n in range(MONTH_ENTRIES):
            make.diary_row(patient, today() - timedelta(days=n + 1), strength=n % 3)
        guardian = make.user(Role.GUARDIAN, patients=[patient])
        with app.test_request_context("/", headers={"User-Agent": "wrk"}):
            start_session(guardian)
            csrf = generate_csrf()
            db.session.commit()
            cookie_value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        ids = {"patient_id": patient.id, "email": guardian.email, "day": today()}
        db.session.remove()
        db.engine.dispose()
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    return {**ids, "cookie": f"{name}={cookie_value}", "csrf": csrf}


def lean_cookie(user_id: int) -> str:
    """The lean peer's signed session cookie for its one user."""
    os.environ.setdefault("LEAN_SECRET_KEY", SECRET)
    os.environ.setdefault("LEAN_DATABASE_URL", "sqlite://")
    app = lean_peer.create()
    value = app.session_interface.get_signing_serializer(app).dumps({"uid": user_id})
    return f"session={value}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(entry: str, workers: int, env: dict) -> tuple[subprocess.Popen, int]:
    """gunicorn serving `entry`, waited for until it answers."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",  # the app is imported once before the workers fork, so all are ready
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
        entry,
    ]
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env={**os.environ, **env}, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{entry} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def run_wrk(wrk: str, port: int, script: str, args, connections: int, env: dict) -> dict:
    """One wrk run; the figures its Lua `done` printed."""
    command = [
        wrk,
        f"-t{min(args.threads, connections)}",
        f"-c{connections}",
        f"-d{args.seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "wrk" / script),
        f"http://127.0.0.1:{port}",
    ]
    lua_env = {**os.environ, "BENCH_LUA_DIR": str(HERE / "wrk"), **env}
    output = subprocess.run(  # noqa: S603 - our own command line
        command, env=lua_env, capture_output=True, text=True, check=True
    )
    line = next(x for x in output.stdout.splitlines() if x.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="", help="database URL (default: SQLite in /tmp)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--post-clients", type=int, default=32)
    args = parser.parse_args()
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    url = args.database or f"sqlite:///{workdir / 'bench.db'}"

    seeded = seed_portal(url)
    patient_id, day = seeded["patient_id"], seeded["day"]
    lean_peer.seed(url, patient_id, seeded["email"], day, MONTH_ENTRIES + 1)
    start = (day - timedelta(days=30)).isoformat()
    env = {"BENCH_DATABASE_URL": url, "LEAN_DATABASE_URL": url, "LEAN_SECRET_KEY": SECRET}
    portal, portal_port = start_gunicorn("benchmarks.throughput:create_portal()", args.workers, env)
    lean, lean_port = start_gunicorn("benchmarks.lean_peer:create()", args.workers, env)
    portal_cookie, peer_cookie = seeded["cookie"], lean_cookie(1)
    month_path = f"/api/v1/patients/{patient_id}/diary?from={start}"
    calls = {
        "post": (
            "post.lua",
            f"/api/v1/patients/{patient_id}/diary",
            f"/patients/{patient_id}/diary",
        ),
        "month": ("get.lua", month_path, f"/patients/{patient_id}/diary?from={start}"),
        "page": (
            "get.lua",
            f"/family/{patient_id}/diary",
            f"/patients/{patient_id}/diary?from={start}",
        ),
    }
    results: dict[str, dict[str, list[dict]]] = {}
    loads: list[float] = []
    try:
        # Every worker imports its app on its first request: warm both up, unrecorded.
        for port, path, cookie in (
            (lean_port, calls["month"][2], peer_cookie),
            (portal_port, calls["month"][1], portal_cookie),
        ):
            warm = {"BENCH_PATH": path, "BENCH_COOKIE": cookie}
            run_wrk(wrk, port, "get.lua", argparse.Namespace(threads=2, seconds=2), 8, warm)
        for _ in range(args.rounds):
            for name, (script, portal_path, peer_path) in calls.items():
                for side, port, path, cookie, csrf in (
                    ("lean", lean_port, peer_path, peer_cookie, ""),
                    ("portal", portal_port, portal_path, portal_cookie, seeded["csrf"]),
                ):
                    wrk_env = {"BENCH_PATH": path, "BENCH_COOKIE": cookie, "BENCH_CSRF": csrf}
                    wrk_env["BENCH_DATE"] = day.isoformat()
                    figures = run_wrk(wrk, port, script, args, args.connections, wrk_env)
                    results.setdefault(name, {}).setdefault(side, []).append(figures)
                    loads.append(os.getloadavg()[0])
            for side, port, path, cookie, csrf in (
                ("lean", lean_port, calls["post"][2], peer_cookie, ""),
                ("portal", portal_port, calls["post"][1], portal_cookie, seeded["csrf"]),
            ):
                wrk_env = {"BENCH_PATH": path, "BENCH_COOKIE": cookie, "BENCH_CSRF": csrf}
                wrk_env["BENCH_DATE"] = day.isoformat()
                figures = run_wrk(wrk, port, "post.lua", args, args.post_clients, wrk_env)
                results.setdefault(f"post-{args.post_clients}", {}).setdefault(side, []).append(
                    figures
                )
                loads.append(os.getloadavg()[0])
    finally:
        stop(portal)
        stop(lean)
    print_table(results, args, url, loads)


def print_table(results: dict, args, url: str, loads: list[float]) -> None:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite (WAL)"
    print(
        f"\n{time.strftime('%d %b %Y %H:%M UTC', time.gmtime())}, {kind}, gunicorn "
        f"{args.workers} sync workers, wrk {args.threads} threads x {args.connections} "
        f"connections, {args.seconds} s each, {args.rounds} rounds interleaved, "
        f"{os.cpu_count()} cores, load average during the run "
        f"{min(loads):.1f}-{max(loads):.1f}\n"
    )
    print(
        "| call | lean req/s | lean p50 / p95 ms | portal req/s | portal p50 / p95 ms "
        "| portal / lean | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, sides in results.items():
        lean, portal = sides["lean"], sides["portal"]
        ratios = [p["rps"] / q["rps"] for p, q in zip(portal, lean, strict=True)]
        errors = sum(r["errors"] for r in lean + portal)

        def span(rows, key, fmt="{:.0f}"):
            values = sorted(r[key] for r in rows)
            low, high = fmt.format(values[0]), fmt.format(values[-1])
            return low if low == high else f"{low}-{high}"

        print(
            f"| {name} | {span(lean, 'rps')} | {span(lean, 'p50_ms', '{:.1f}')} / "
            f"{span(lean, 'p95_ms', '{:.1f}')} | {span(portal, 'rps')} | "
            f"{span(portal, 'p50_ms', '{:.1f}')} / {span(portal, 'p95_ms', '{:.1f}')} | "
            f"{min(ratios):.2f}-{max(ratios):.2f} | {errors} |"
        )


if __name__ == "__main__":
    main()
