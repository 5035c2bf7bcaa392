"""Time the research hub: loading site summaries and building the combined report.

Ten sites, each a signed summary of 1,000 courses (five regimens, two thirds formally
assessed, four fifths with a diary, side effects at random): each file is checked and
loaded as the hub's upload page loads it, then the combined report (pooled figures,
van Elteren, small-number suppression across sites and regimens) is built from the
database, five times; medians are printed.

Run:  .venv/bin/python benchmarks/hub_report.py [--sites 10] [--courses 1000] [--url DATABASE_URL]

Measured on this machine (2 cores shared with other engineers' test runs, SQLite,
1 Dec 2026, load average about 5): one file of 1,000 courses (0.43 MB) 0.03 s to check
and load; reading the 10,000 courses of 10 sites 0.12 s (2 SQL queries), then pooling,
the van Elteren test and suppression 0.14 s. 3 sites of 200 courses: 0.01 s each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.outcomes.course_outcomes import OUTCOME_LABELS  # noqa: E402
from portal.research import signing  # noqa: E402
from portal.research.hub import hub_report  # noqa: E402
from portal.research.loading import load_summary, register_site  # noqa: E402
from portal.research.records import current_summaries  # noqa: E402
from portal.research.site_summary import FORMAT, VERSION, signed_file  # noqa: E402

REGIMENS = ((2.0, 5), (2.0, 3), (1.0, 2), (2.0, 4), (0.4, 1))


def _row(rng: random.Random) -> dict:
    dose, days = rng.choice(REGIMENS)
    assessed = rng.random() < 0.67
    reported = rng.random() < 0.8
    change = round(rng.gauss(2.0, 5.0), 1) if assessed else None
    return {
        "total_dose_g_per_kg": dose, "days": days,
        "daily_mg_per_kg": round(dose * 1000 / days, 1),
        "interval_days": rng.choice([None, 28, 35, 42, 49, 56]), "product": "Privigen",
        "lots": [f"{rng.getrandbits(64):016x}"], "age_band": rng.choice(["5-9", "10-14"]),
        "myometry_change": change, "before_day": -1 if assessed else None,
        "after_day": 10 if assessed else None,
        "changes": {"mean_myometry": change} if assessed else {},
        "subjective_change": None, "diary_reported": reported,
        "side_effects": sorted(n for n in OUTCOME_LABELS if reported and rng.random() < 0.1),
    }  # fmt: skip


def _file(code: str, courses: int, key, rng: random.Random) -> bytes:
    payload = {
        "format": FORMAT, "version": VERSION, "site": code, "generated_on": "2026-12-01",
        "lot_salt_id": "bench", "outcomes": list(OUTCOME_LABELS),
        "courses": [_row(rng) for _ in range(courses)],
    }  # fmt: skip
    return signed_file(payload, key)


def _median(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--url", help="an empty scratch database (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/hub.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    rng = random.Random(17)  # noqa: S311 - made-up data, the same every run
    with app.app_context():
        db.create_all()
        try:
            loads = []
            for n in range(args.sites):
                key = signing.signing_key({"RESEARCH_SIGNING_KEY": signing.new_private_key()}, "")
                register_site(f"site-{n}", f"Site {n}", signing.public_key_text(key), None)
                data = _file(f"site-{n}", args.courses, key, rng)
                started = time.perf_counter()
                load_summary(data, by=None, now=datetime.now(UTC))
                db.session.commit()
                loads.append(time.perf_counter() - started)
            print(f"check and load one file of {args.courses} courses "
                  f"({len(data) / 1e6:.2f} MB): {statistics.median(loads):.2f} s")  # fmt: skip
            read = _median(current_summaries)
            sites, courses = current_summaries()
            build = _median(lambda: hub_report(sites, courses))
            print(f"read {len(courses)} courses of {len(sites)} sites: {read:.2f} s")
            print(f"combine, test and suppress: {build:.2f} s")
            report = hub_report(sites, courses)
            print(f"cells suppressed: {len(report.cells.suppressed)}")
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
