"""Time the cohort course-response report on a clinic of 500 patients.

Each patient has 10 given courses (every 6 weeks, alternately 2 g/kg over 3
and over 5 days), 25 assessments (a before and an after for every course and
5 more), a diary entry every day for a year (about 182,500 entries), two
prednisolone records and two weights. The report is fetched as a logged-in
clinician through the app, as JSON, as the HTML page and as CSV, five times
each; the median is printed.

Run:  .venv/bin/python benchmarks/cohort_report.py [--patients 500] [--url DATABASE_URL]

Measured on this machine (2 cores shared with three other engineers' test runs,
load average about 3, SQLite, 22 Nov 2026), median of five requests:
    loading + building the report (service only)  0.60 s
    GET /clinic/reports/course-response.json       0.67 s
    GET /clinic/reports/course-response (page)     0.62 s
    GET /clinic/reports/course-response.csv        0.68 s
Over three runs the JSON median ranged 0.67 to 1.00 s as the load moved; with
the load average near 9 earlier in the day it reached 1.4 s. 9 SQL queries per
request (1 for the session, 8 for the report) whatever the number of patients.
PostgreSQL 15 on the same machine (--url, load average about 3): service 0.92 s,
JSON 0.66 s, page 0.65 s, CSV 0.99 s (wall; the server's CPU is not in this
process's CPU figure).
With the cohort charts (22 Nov 2026, SQLite, load average about 2.7): JSON 0.67 s, page
0.72 s (it now also builds both charts' summaries and tables), CSV 0.67 s, and
/clinic/reports/course-response/charts.json 0.67 s for 367 KB (5,000 paired courses).
After every feature was merged (audit trail and device sessions write on each request;
22 Nov 2026, SQLite, load average about 1): service 0.61 s, JSON 0.77 s, page 0.88 s,
CSV 0.65 s, charts 0.67 s; 12 SQL queries per JSON request.
With lots loaded and issue 17's pages (1 Dec 2026, SQLite, load average about 5, so wall
times are twice the CPU): 13 SQL queries per JSON request (one more: the lots); service
0.46 s; suppression for the administrators' view under 1 ms; JSON 0.56 s wall / 0.55 s CPU;
lots.json 0.64 s CPU (1.2 MB); the lots page 0.67 s CPU and 0.7 MB with each lot's course
list capped at its latest 50 (1.09 s and 3.4 MB uncapped); regimens.json 0.50 s CPU;
interval.json 0.51 s CPU (0.5 MB).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert, inspect, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.assessments.models import Assessment  # noqa: E402
from portal.auth.accounts import create_user, get_or_create_clinic  # noqa: E402
from portal.auth.models import Role  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.diary.models import DiaryEntry  # noqa: E402
from portal.infusions.models import CourseLot, InfusionCourse  # noqa: E402
from portal.medications.models import MedicationRecord, WeightRecord  # noqa: E402
from portal.outcomes.cohort_data import load_records, scope_filter  # noqa: E402
from portal.outcomes.cohort_disclosure import protect_cohort  # noqa: E402
from portal.outcomes.course_response import cohort_report  # noqa: E402
from portal.patients.models import Patient  # noqa: E402

FIRST_DAY = date(2024, 1, 1)
COURSES = 10
EXTRA_ASSESSMENTS = 5
DIARY_DAYS = 365
PASSWORD = "quiet-cohort-harbour-52"  # noqa: S105 - a throwaway local account


def _patients(clinic_id: int, count: int) -> list[int]:
    rows = [
        {
            "clinic_id": clinic_id,
            "patient_ref": f"B{n:05d}",
            "name": f"Bench {n}",
            "date_of_birth": date(2014, 1, 1) + timedelta(days=n),
            "sex": "female" if n % 2 else "male",
            "weight_kg": 25 + n % 20,
            "subtype": "",
        }
        for n in range(count)
    ]
    db.session.execute(insert(Patient), rows)
    return list(db.session.scalars(select(Patient.id).order_by(Patient.id)))


def _courses_and_assessments(ids: list[int]) -> None:
    courses, assessments = [], []
    for n, pid in enumerate(ids):
        for c in range(COURSES):
            start = FIRST_DAY + timedelta(days=42 * c + n % 7)
            days = 3 if c % 2 else 5
            courses.append({"patient_id": pid, "start_date": start, "days": days,
                            "total_dose_g_per_kg": 2.0, "status": "given", "product": "P",
                            "indication": "", "notes": ""})  # fmt: skip
            for offset, value in ((-1, 30 + c), (days + 9, 31 + c + (n + c) % 5 - 2)):
                assessments.append(_assessment(pid, start + timedelta(days=offset), value))
        for extra in range(EXTRA_ASSESSMENTS):
            day = FIRST_DAY + timedelta(days=42 * COURSES + 20 * extra + n % 7)
            assessments.append(_assessment(pid, day, 35.0))
    db.session.execute(insert(InfusionCourse), courses)
    db.session.execute(insert(Assessment), assessments)
    # Two lots a course, from a pool of 40 (batches are shared across the clinic).
    course_ids = list(db.session.scalars(select(InfusionCourse.id).order_by(InfusionCourse.id)))
    lots = [{"course_id": cid, "lot_number": f"LOT-{(cid + k * 7) % 40}"}
            for cid in course_ids for k in (0, 1)]  # fmt: skip
    db.session.execute(insert(CourseLot), lots)


def _assessment(pid: int, day: date, value: float) -> dict:
    return {
        "patient_id": pid, "assessed_on": day, "notes": "",
        "myometry_neck_flexors": value, "myometry_knee_extension_right": value + 1,
        "myometry_knee_extension_left": value - 1, "myometry_hip_flexion": value,
        "motor_ability_score": 30, "walk_28ft_seconds": 8.0, "cmas": 40, "ck": 300.0,
    }  # fmt: skip


def _diary_row(pid: int, d: int) -> dict:
    return {
        "patient_id": pid,
        "client_id": f"{pid}-{d}",
        "entry_date": FIRST_DAY + timedelta(days=d),
        "author_role": "guardian",
        "strength": (d * 7 + pid) % 5 - 2,
        "headache": (d + pid) % 4,
        "nausea": d % 2,
        "temperature_c": 37.0 + (d % 15) / 10,
        "note": "",
    }


def _diary(ids: list[int]) -> None:
    for pid in ids:
        db.session.execute(insert(DiaryEntry), [_diary_row(pid, d) for d in range(DIARY_DAYS)])


def _medications(ids: list[int]) -> None:
    doses, weights = [], []
    for pid in ids:
        for day, mg in (
            (FIRST_DAY - timedelta(days=30), 20.0),
            (FIRST_DAY + timedelta(days=300), 7.5),
        ):
            doses.append({"patient_id": pid, "agent": "prednisolone", "start_date": day, "dose": mg,
                          "dose_unit": "mg/day", "other_name": "", "notes": ""})  # fmt: skip
        for day, kg in (
            (FIRST_DAY - timedelta(days=40), 30.0),
            (FIRST_DAY + timedelta(days=200), 33.0),
        ):
            weights.append({"patient_id": pid, "measured_on": day, "weight_kg": kg})
    db.session.execute(insert(MedicationRecord), doses)
    db.session.execute(insert(WeightRecord), weights)


def build(patients: int):
    """A clinic with `patients` children and a clinician account."""
    clinic = get_or_create_clinic("Benchmark Clinic")
    user = create_user("bench@example.test", PASSWORD, Role.CLINICIAN, clinic=clinic)
    ids = _patients(clinic.id, patients)
    _courses_and_assessments(ids)
    _diary(ids)
    _medications(ids)
    db.session.commit()
    return clinic, user


def _median_seconds(action, runs: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `runs` calls (CPU: this process only)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _get(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def _report(app, clinic, user) -> None:
    service = _median_seconds(lambda: cohort_report(load_records(scope_filter(clinic=clinic))))
    print(f"service only : {service[0]:.2f} s wall, {service[1]:.2f} s CPU")
    report = cohort_report(load_records(scope_filter(clinic=clinic)))
    suppression = _median_seconds(lambda: protect_cohort(report))
    print(f"suppression of the administrators' view: {suppression[0]:.3f} s wall")
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    queries: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    _get(client, "/clinic/reports/course-response.json")
    print(f"SQL queries per JSON request: {len(queries)}")
    for name, path in (
        ("json", ".json"),
        ("page", ""),
        ("csv", ".csv"),
        ("charts", "/charts.json"),
    ):
        url = f"/clinic/reports/course-response{path}"
        wall, cpu = _median_seconds(lambda u=url: _get(client, u))
        size = len(client.get(url).data) / 1024
        print(f"GET {name:<6}: {wall:.2f} s wall, {cpu:.2f} s CPU, {size:,.0f} KB")
    for url in (
        "/clinic/reports/lots.json",
        "/clinic/reports/lots",
        "/clinic/reports/regimens.json",
        "/clinic/reports/regimens?by=interval",
        "/clinic/reports/interval.json",
        "/clinic/reports/interval",
    ):
        wall, cpu = _median_seconds(lambda u=url: _get(client, u))
        size = len(client.get(url).data) / 1024
        print(f"GET {url:<38}: {wall:.2f} s wall, {cpu:.2f} s CPU, {size:,.0f} KB")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--url", help="an empty scratch database (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        if inspect(db.engine).get_table_names():
            db.engine.dispose()
            sys.exit("The database is not empty; give an empty scratch database.")
        db.create_all()
        try:
            started = time.perf_counter()
            clinic, user = build(args.patients)
            print(f"built {args.patients} patients in {time.perf_counter() - started:.1f} s")
            _report(app, clinic, user)
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
