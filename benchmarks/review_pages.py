"""Timing of the clinic's review pages and the chart JSON on a large clinic.

Data: 500 patients, each with 2 years of daily diary entries (730), 12 courses (11 given,
1 planned), 25 assessments (three before the first course, then a before and an after for
every given course; myometry in every one, CK in the befores), a prednisolone taper of ten
doses with two weighings, and an alert on every 60th entry; entries older than ten days
are reviewed, so each patient has about ten reports waiting, as in a clinic that keeps up.

Run:  .venv/bin/python -m benchmarks.review_pages [--patients 500] [--database URL]
(default: a fresh SQLite file in /tmp; pass a PostgreSQL URL to time that instead).

Measured on this machine (2 cores shared with another engineer's test runs, load average
about 2.5), median of 7 requests through the test client including template rendering,
no ANALYZE, 22 Nov 2026:

                                         SQLite             PostgreSQL 15
    loaded (365,000 entries, 12,500
    assessments, 6,000 courses)           19 s               52 s
    dashboard (500 patients)             105 ms  588 KB     132 ms
    patient review page (12 weeks)        30 ms  148 KB      59 ms
    clinician chart page, 2 years         29 ms   25 KB      37 ms
    clinician chart JSON, 2 years         24 ms   32 KB      32 ms
    parent chart JSON, 2 years            18 ms   74 KB      23 ms
    parent chart page, 2 years            25 ms  146 KB      31 ms

The chart JSON held 25 mean myometry points, 12 prednisolone steps, 14 CK values, 730
days of home strength and 11 paired courses (the script prints these counts, so an empty
series cannot pass for a fast one). Earlier versions read every entry of the clinic for
"last entry per patient" (GROUP BY, 290 ms alone) and used url_for per row (100 ms).

After every feature was merged (audit trail and device sessions on each request;
SQLite, quiet machine): dashboard 108 ms, review page 40 ms, clinician chart page 39 ms,
clinician chart JSON 34 ms (31.5 KB), parent chart JSON 19 ms, parent chart page 26 ms.

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
from portal.assessments.measures import MYOMETRY
from portal.assessments.models import Assessment
from portal.auth.accounts import create_user, get_or_create_clinic, link_patient
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import InfusionCourse
from portal.medications.models import MedicationRecord, WeightRecord
from portal.patients.models import Patient

PASSWORD = "quiet-timing-harbour-41"  # noqa: S105 - a throwaway local database
DAYS = 730
COURSES = 12
EXTRA_ASSESSMENTS = 3  # before the first course; with a before and an after per given course: 25


def _patients(clinic_id: int, count: int) -> list[int]:
    rows = [
        {"clinic_id": clinic_id, "patient_ref": f"BM{n:05d}", "name": f"Bench Patient{n:05d}",
         "date_of_birth": today() - timedelta(days=3000 + n), "sex": "female", "subtype": ""}
        for n in range(count)
    ]  # fmt: skip
    db.session.execute(insert(Patient), rows)
    return list(db.session.scalars(db.select(Patient.id).order_by(Patient.id)))


def _course_start(n: int):
    return today() - timedelta(days=DAYS - 90 - 60 * n)


def _courses(patient_ids: list[int]) -> None:
    rows = []
    for pid in patient_ids:
        for n in range(COURSES):
            start = _course_start(n)
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


def _assessment(pid: int, day, mean: float, ck: float | None) -> dict:
    row = {m.name: round(mean + i, 1) for i, m in enumerate(MYOMETRY)}
    return {"patient_id": pid, "assessed_on": day, **row, "cmas": 30, "walk_28ft_seconds": 9.5,
            "ck": ck, "notes": ""}  # fmt: skip


def _assessments(patient_ids: list[int]) -> None:
    """25 a patient: three before the first course, then a before and an after each course."""
    rows = []
    for pid in patient_ids:
        mean = 25.0 + pid % 10
        for n in range(EXTRA_ASSESSMENTS):
            rows.append(_assessment(pid, today() - timedelta(days=DAYS - 10 * n), mean, 1500.0))
        for n in range(COURSES - 1):  # the twelfth course is still planned
            start = _course_start(n)
            rows.append(_assessment(pid, start - timedelta(days=1), mean, 900.0 - 50 * n))
            after = start + timedelta(days=(5 if n % 3 else 3) + 8)
            rows.append(_assessment(pid, after, mean + 3, None))
            mean += 1
    db.session.execute(insert(Assessment), rows)


def _prednisolone(patient_ids: list[int]) -> None:
    """A taper: 30 mg/day two years ago, 2.5 mg less every ten weeks; two weighings."""
    doses, weights = [], []
    for pid in patient_ids:
        for n in range(10):
            start = today() - timedelta(days=DAYS - 70 * n)
            doses.append({"patient_id": pid, "agent": "prednisolone", "dose": 30.0 - 2.5 * n,
                          "dose_unit": "mg/day", "start_date": start, "notes": ""})  # fmt: skip
        for n, kg in enumerate((28.0, 30.5)):
            weights.append({"patient_id": pid, "weight_kg": kg,
                            "measured_on": today() - timedelta(days=DAYS - 365 * n)})  # fmt: skip
    db.session.execute(insert(MedicationRecord), doses)
    db.session.execute(insert(WeightRecord), weights)


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
    _assessments(ids)
    _prednisolone(ids)
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
    print_series(client.get(f"/api/patients/{patient_id}/charts/clinic?start={start}").json)
    with app.app_context():
        print_parent(app, patient_id, start)


def print_series(answer: dict) -> None:
    """What the timed chart JSON held, so an empty series cannot pass for a fast one."""
    counts = {s["id"]: len(s["points"]) for s in answer["charts"]["timeline"]["series"]}
    pairs = len(answer["charts"]["myometry_slope"]["pairs"])
    print(f"  chart points per series: {counts}; paired courses: {pairs}")


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
