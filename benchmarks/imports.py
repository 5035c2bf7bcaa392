"""Time a clinic's spreadsheet import and how long it holds the database's write lock.

A clinician of a clinic that already has 2,000 patients uploads, through the
import page (test client, real form, CSRF, audit), a patient CSV of 20,000 new
rows; then a courses CSV of 20,000 rows (one course for each new patient) and an
assessments CSV of 20,000 rows. For each file it prints the wall time of the
request, the SQL statements it ran, and the longest time the write lock was held.

The lock is measured from outside, as a family's request would meet it: a prober
thread with its own connection tries `BEGIN IMMEDIATE` (SQLite) every 20 ms with
no busy timeout and records the longest run of refusals. On PostgreSQL, where a
writer never blocks another table's writers, the prober is skipped and the
longest write transaction (first INSERT to COMMIT) is printed instead.

Run:  .venv/bin/python -m benchmarks.imports [--rows 20000] [--url DATABASE_URL]
Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.auth.models import Role  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from tests import factories as make  # noqa: E402
from tests.conftest import PortalClient  # noqa: E402

EXISTING_PATIENTS = 2000
TODAY = date.today()


def patients_csv(rows: int) -> bytes:
    lines = ["patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg"]
    for n in range(rows):
        born = date(2010, 1, 1) + timedelta(days=n % 3000)
        lines.append(f"IMP{n:06d},Child Number{n},{born},{'fm'[n % 2]},,,{20 + n % 30}")
    return ("\n".join(lines) + "\n").encode()


def courses_csv(rows: int) -> bytes:
    lines = ["patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status"]
    start = TODAY - timedelta(days=60)
    for n in range(rows):
        lines.append(f"IMP{n:06d},{start},5,2,Privigen,L{n % 97};M{n % 13},given")
    return ("\n".join(lines) + "\n").encode()


def assessments_csv(rows: int) -> bytes:
    from portal.imports.assessments import COLUMNS

    lines = [",".join(COLUMNS)]
    day = TODAY - timedelta(days=30)
    for n in range(rows):
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(patient_ref=f"IMP{n:06d}", date=str(day), cmas=str(30 + n % 20), ck="120")
        lines.append(",".join(cells[c] for c in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


class LockProber(threading.Thread):
    """Tries to take SQLite's write lock every 20 ms; the longest run it was refused."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path, self.longest, self.stop = path, 0.0, threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        refused_since = None
        while not self.stop.is_set():
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                if refused_since is not None:
                    self.longest = max(self.longest, time.monotonic() - refused_since)
                refused_since = None
            except sqlite3.OperationalError:
                refused_since = refused_since or time.monotonic()
            time.sleep(0.02)
        connection.close()


class WriteTransactions:
    """First write statement to COMMIT, per transaction, as the engine saw it."""

    def __init__(self, engine) -> None:
        self.started: float | None = None
        self.longest = 0.0
        self.statements = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        self.statements += 1
        if self.started is None and statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            self.started = time.monotonic()

    def _end(self, conn) -> None:
        if self.started is not None:
            self.longest = max(self.longest, time.monotonic() - self.started)
        self.started = None

    def reset(self) -> None:
        self.started, self.longest, self.statements = None, 0.0, 0


def upload(client, kind: str, data: bytes, name: str = "") -> str:
    response = client.post_form(
        "/clinic/import",
        {"kind": kind, "file": (io.BytesIO(data), name or f"{kind}.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    if "Imported" not in page:
        raise SystemExit(f"{kind} import was refused: {page[page.find('Nothing') :][:400]}")
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--url", help="DATABASE_URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/imports.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, MAX_CONTENT_LENGTH=None)
    app.test_client_class = PortalClient
    sqlite_path = make_url(url).database if url.startswith("sqlite") else None
    with app.app_context():
        db.drop_all()
        db.create_all()
        clinic = make.clinic("Benchmark Clinic")
        _existing_patients(clinic)
        clinician = make.user(Role.CLINICIAN, clinic=clinic)
        client = app.test_client()
        response = client.post_form("/login", {"email": clinician.email, "password": make.PASSWORD})
        assert response.status_code == 302
        writes = WriteTransactions(db.engine)
        print(f"{args.rows:,} rows per file, {EXISTING_PATIENTS:,} patients already enrolled")
        for kind, build in (
            ("patients", patients_csv),
            ("courses", courses_csv),
            ("assessments", assessments_csv),
        ):
            data = build(args.rows)
            prober = LockProber(sqlite_path) if sqlite_path else None
            if prober:
                prober.start()
            writes.reset()
            started = time.monotonic()
            upload(client, kind, data)
            elapsed = time.monotonic() - started
            if prober:
                prober.stop.set()
                prober.join()
            lock = f"write lock held at most {prober.longest:.2f} s" if prober else ""
            print(
                f"  {kind:<12} {len(data) / 1e6:4.1f} MB  {elapsed:6.2f} s  "
                f"{writes.statements:4d} statements  longest write transaction "
                f"{writes.longest:.2f} s  {lock}"
            )
        db.session.remove()
        db.engine.dispose()


def _existing_patients(clinic) -> None:
    """The clinic's earlier patients, written directly (their import is not what is timed)."""
    from portal.patients.models import Patient

    rows = [
        {
            "clinic_id": clinic.id,
            "patient_ref": f"OLD{n:05d}",
            "name": f"Earlier Child{n}",
            "date_of_birth": date(2012, 1, 1),
            "sex": "female",
            "subtype": "",
        }
        for n in range(EXISTING_PATIENTS)
    ]
    db.session.execute(db.insert(Patient), rows)
    db.session.commit()


if __name__ == "__main__":
    main()
