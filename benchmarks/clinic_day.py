"""The clinic's day on a large clinic: dashboard weight and queries, and the clinic summary PDF.

Data: the clinic of benchmarks/review_pages.py (each patient 2 years of daily diary entries,
12 courses with lots, 25 assessments, a prednisolone taper, an alert on every 60th entry).

Run:  .venv/bin/python -m benchmarks.clinic_day [--patients 500] [--database URL]

Measured on this machine (2 cores, with the PostgreSQL test suite running beside it),
SQLite, median of 5 requests through the test client including rendering, 2 Dec 2026:

    loaded (500 patients, 365,000 entries)     19 s
    dashboard, page 1 of 10                    36 ms  115 KB raw   6.0 KB gzipped  11 queries
    dashboard, next course ≤ 14 days, page 2   22 ms   73 KB raw   3.9 KB gzipped  10 queries
      (the filtered page was empty: no table, so the clinic's name is not read; a page with
       rows costs the same 11 as any other, asserted in tests/web/review/test_dashboard_list.py)
    clinic summary PDF, 1 year                 0.98 s  4 A4 pages  40 KB
      (6 courses with lots, 365 diary days, 13 assessments, a prednisolone taper, 3 charts)
    clinic summary PDF, 2 years                1.08 s  5 A4 pages  47 KB

Measured before the triage list carried the families' numbers, which costs 2 queries more
(13, still constant: tests/web/review/test_dashboard.py); not re-run since.
Before issue 14 the dashboard of this clinic was 588 KB of HTML in one page.

Targets (issue 14): the dashboard ≤ 60 KB gzipped with a constant query count (asserted in
tests/web/review/test_dashboard_list.py); the PDF has no target: it is made on request.
"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import event

from benchmarks.review_pages import PASSWORD, load
from config import TestingConfig
from portal import create_app
from portal.core.clock import today
from portal.core.extensions import db
from portal.patients.models import Patient


def timed(client, url: str, runs: int = 5):
    times, response = [], None
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), response


def count_queries(app, client, url: str) -> int:
    statements = []
    with app.app_context():
        engine = db.engine

    def note(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", note)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        login = load(args.patients)
        print(f"loaded {args.patients} patients in {time.perf_counter() - started:.0f} s")
        patient_id = db.session.scalar(db.select(Patient.id).order_by(Patient.id.desc()))
        day = today()
    client = app.test_client()
    client.post("/login", data={"email": login, "password": PASSWORD})
    for label, path in (
        ("dashboard", "/clinic/dashboard"),
        ("dashboard, next course filter", "/clinic/dashboard?next_course=y&page=2"),
    ):
        seconds, response = timed(client, path)
        body = response.get_data()
        queries = count_queries(app, client, path)
        print(f"{label:<32} {seconds * 1000:6.0f} ms {len(body) / 1024:6.1f} KB raw "
              f"{len(gzip.compress(body)) / 1024:5.1f} KB gzip {queries} queries")  # fmt: skip
    for years in (1, 2):
        start = (day - timedelta(days=365 * years)).isoformat()
        path = f"/clinic/patients/{patient_id}/summary.pdf?start={start}&end={day}"
        seconds, response = timed(client, path)
        body = response.get_data()
        pages = len(PdfReader(io.BytesIO(body)).pages)
        label = f"clinic summary PDF, {years} year{'s' if years > 1 else ''}"
        print(f"{label:<32} {seconds:6.2f} s {pages} pages {len(body) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
