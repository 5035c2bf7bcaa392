"""Timing of the clinic's review pages and the chart JSON on a large clinic.

Data: 500 patients, each with 2 years of daily diary entries (730), 12 courses (11 given,
1 planned) and an alert on every 60th entry; entries older than ten days are reviewed,
so each patient has about ten reports waiting, as in a clinic that keeps up. There is no
Assessment model on this branch yet, so the "25 assessments" of the target are not
loaded; latest_mean_myometry_by_patient and the measure sources return nothing.

Run:  .venv/bin/python -m benchmarks.review_pages [--patients 500] [--database URL]
(default: a fresh SQLite file in /tmp; pass a PostgreSQL URL to time that instead).

Measured on this machine (2 cores shared with four other engineers' test runs, load
average about 8 while measuring, so these are pessimistic), median of 7 requests through
the test client including template rendering, SQLite file database, no ANALYZE:

    loaded 365,000 entries, 6,000 courses (500 planned), about 6,000 alerts in 42 s
    dashboard (500 patients, 83 open alerts)   270 ms   418 KB of HTML
    patient review page (12 weeks)             105 ms
    clinician chart page, 2 years               51 ms
    clinician chart JSON, 2 years               45 ms    30 KB
    parent chart JSON, 2 years                  59 ms    74 KB
    parent chart page, 2 years (with table)     72 ms

Profiled in isolation the dashboard's eight queries take about 45 ms together; the rest
is rendering 1,000 table rows. Earlier versions read every entry of the clinic for "last
entry per patient" (GROUP BY, 290 ms alone) and used url_for per row (100 ms).

Targets (issue 5): pages < 300 ms, chart JSON < 100 ms and < 150 KB.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from config import TestingConfig
from portal import create_app
from portal.auth.models import Role
from portal.database import now_utc
from portal.diary.models import Alert, DiaryEntry
from portal.extensions import db
from portal.infusions.models import InfusionCourse
from portal.patients.models import Patient
from portal.services.accounts import create_user, get_or_create_clinic, link_patient
from portal.services.clock import today

PASSWORD = "benchmark-password-1"  # noqa: S105 - a throwaway local database
DAYS = 730


def _patients(clinic_id: int, count: int) -> list[int]:
    rows = [
        {"clinic_id": clinic_id, "patient_ref": f"BM{n:05d}", "name": f"Bench Patient{n:05d}",
         "date_of_birth": today() - timedelta(days=3000 + n), "sex": "female", "subtype": ""}
        for n in range(count)
    ]  # fmt: skip
    db.session.execute(insert(Patient), rows)
    return list(db.session.scalars(db.select(Patient.id).order_by(Patient.id)))


def _courses(patient_ids: list[int]) -> None:
    rows = []
    for pid in patient_ids:
        for n in range(12):
            start = today() - timedelta(days=DAYS - 90 - 60 * n)
            status = "planned" if start > today() else "given"
            rows.append({"patient_id": pid, "start_date": start, "days": 5 if n % 3 else 3,
                         "total_dose_g_per_kg": 2.0, "product": "Privigen", "indication": "",
                         "status": status, "notes": ""})  # fmt: skip
    db.session.execute(insert(InfusionCourse), rows)


def _entries(patient_ids: list[int]) -> None:
    for pid in patient_ids:
        rows = [
            {"patient_id": pid, "client_id": f"bm-{pid}-{n}",
             "entry_date": today() - timedelta(days=n),
             "author_role": "guardian", "strength": n % 5 - 2, "rash": n % 4, "rash_change": 0,
             "mood": n % 5 + 1, "headache": n % 4, "nausea": n % 2, "vomiting": 0,
             "diarrhoea": 0, "tiredness": n % 3, "muscle_pain": 0, "temperature_c": 36.8,
             "note": "", "reviewed_at": (now_utc() if n > 10 else None)}
            for n in range(DAYS)
        ]  # fmt: skip
        db.session.execute(insert(DiaryEntry), rows)
    db.session.flush()


def _alerts() -> None:
    """An alert on every 60th entry; those of the last ten days are not yet acknowledged."""
    found = db.session.execute(
        db.select(DiaryEntry.id, DiaryEntry.patient_id, DiaryEntry.entry_date).where(
            DiaryEntry.id % 60 == 0
        )
    ).all()
    recent = today() - timedelta(days=10)
    rows = [{"patient_id": pid, "entry_id": eid, "reasons": ["fever"], "urgency": 1 + eid % 3,
             "acknowledged_at": None if day > recent else now_utc()}
            for eid, pid, day in found]  # fmt: skip
    db.session.execute(insert(Alert), rows)


def load(count: int) -> str:
    """Create the clinic and its data; returns the clinician's login."""
    clinic = get_or_create_clinic("Benchmark clinic")
    clinician = create_user("bench@example.test", PASSWORD, Role.CLINICIAN, clinic=clinic)
    db.session.flush()
    ids = _patients(clinic.id, count)
    _courses(ids)
    _entries(ids)
    _alerts()
    db.session.commit()
    return clinician.email


def timed(client, url: str, runs: int = 7) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(times), size


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
        print(f"loaded in {time.perf_counter() - started:.0f} s")
        patient_id = db.session.scalar(db.select(Patient.id).order_by(Patient.id.desc()))
        start = (today() - timedelta(days=DAYS)).isoformat()
    client = app.test_client()
    client.post("/login", data={"email": login, "password": PASSWORD})
    for label, url in (
        ("dashboard", "/clinic/dashboard"),
        ("patient review page", f"/clinic/patients/{patient_id}/review"),
        ("clinician chart page, 2 years", f"/clinic/patients/{patient_id}/chart?start={start}"),
        (
            "clinician chart JSON, 2 years",
            f"/api/patients/{patient_id}/charts/clinic?start={start}",
        ),
    ):
        ms, size = timed(client, url)
        print(f"{label:<34} {ms:7.1f} ms {size / 1024:7.1f} KB")
    with app.app_context():
        print_parent(app, patient_id, start)


def print_parent(app, patient_id: int, start: str) -> None:
    """The parent chart JSON needs a guardian linked to the patient."""
    guardian = create_user("bench-parent@example.test", PASSWORD, Role.GUARDIAN)
    link_patient(guardian, db.session.get(Patient, patient_id))
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": guardian.email, "password": PASSWORD})
    ms, size = timed(client, f"/api/patients/{patient_id}/charts/diary?start={start}")
    print(f"{'parent chart JSON, 2 years':<34} {ms:7.1f} ms {size / 1024:7.1f} KB")
    ms, size = timed(client, f"/family/{patient_id}/chart?start={start}")
    print(f"{'parent chart page, 2 years':<34} {ms:7.1f} ms {size / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
