"""Time Excel workbook imports through the import page (issue 16: 10,000 rows in under 10 s).

A clinician uploads, through the import page (real form, CSRF, audit), a workbook of
10,000 new patients, then a workbook of 10,000 assessments of them with every measure
column filled and the dates typed as Excel dates. Reading the workbook alone (openpyxl)
is timed apart.

Run:  .venv/bin/python -m benchmarks.workbook_import [--rows 10000] [--url DATABASE_URL]

Figures: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.imports import upload  # noqa: E402
from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.assessments import measures  # noqa: E402
from portal.auth.models import Role  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.imports import assessments, patients  # noqa: E402
from portal.imports.workbook import read_workbook  # noqa: E402
from tests import factories as make  # noqa: E402
from tests.conftest import PortalClient  # noqa: E402


def _save(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patients_workbook(rows: int) -> bytes:
    header = ["patient_ref", "name", "date_of_birth", "sex", "weight_kg"]
    body = (
        [f"XLS{n:06d}", f"Child Number{n}", datetime(2010, 1, 1) + timedelta(days=n % 3000),
         "fm"[n % 2], 20 + n % 30]
        for n in range(rows)
    )  # fmt: skip
    return _save([header, *body])


def assessments_workbook(rows: int) -> bytes:
    day = datetime.combine(date.today() - timedelta(days=30), datetime.min.time())
    header = list(assessments.COLUMNS)

    def value(m: measures.Measure, n: int) -> float:
        span = m.maximum - m.minimum
        number = m.minimum + (n % 7 + 1) * span / 10
        return int(number) if m.whole else round(number, 1)

    body = ([f"XLS{n:06d}", day, *(value(m, n) for m in measures.RECORDED)] for n in range(rows))
    return _save([header, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--url", help="DATABASE_URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/workbooks.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, MAX_CONTENT_LENGTH=None)
    app.test_client_class = PortalClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        clinic = make.clinic("Benchmark Clinic")
        clinician = make.user(Role.CLINICIAN, clinic=clinic)
        client = app.test_client()
        response = client.post_form("/login", {"email": clinician.email, "password": make.PASSWORD})
        assert response.status_code == 302
        print(f"{args.rows:,} rows per workbook")
        for kind, build, columns, required in (
            ("patients", patients_workbook, patients.COLUMNS, patients.REQUIRED),
            ("assessments", assessments_workbook, assessments.COLUMNS, assessments.REQUIRED),
        ):
            data = build(args.rows)
            started = time.monotonic()
            read_workbook(data, columns, required)
            reading = time.monotonic() - started
            started = time.monotonic()
            upload(client, kind, data, f"{kind}.xlsx")
            elapsed = time.monotonic() - started
            print(
                f"  {kind:<12} {len(data) / 1e6:4.2f} MB  read {reading:5.2f} s  "
                f"upload to imported {elapsed:5.2f} s"
            )
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
