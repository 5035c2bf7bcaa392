"""Code run in separate processes (spawned, so nothing is shared but the database and Redis)."""

from __future__ import annotations


def failed_logins(database_url: str, redis_url: str, prefix: str, login: str, tries: int):
    """One 'gunicorn worker': its own app on shared Redis; the status of each failed login."""
    from config import TestingConfig
    from portal import create_app

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=prefix,
    )
    client = app.test_client()
    with app.app_context():
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        statuses = [
            client.post(
                "/login", data={"email": login, "password": "wrong-password-x", "csrf_token": token}
            ).status_code
            for _ in range(tries)
        ]
        from portal.core.extensions import db

        db.engine.dispose()
    return statuses


def _write_infusion_course(patient, worker: int, number: int) -> None:
    """One write through the service the course pages use (one commit, as a view does)."""
    from datetime import date, timedelta

    from portal.core.extensions import db
    from portal.infusions.courses import CourseData, record_course

    # One-day courses on days of their own: overlapping courses are refused by rule.
    record_course(
        patient,
        CourseData(
            start_date=date(2022, 1, 1) + timedelta(days=worker * 1000 + number),
            days=1,
            total_dose_g_per_kg=2,
            lots=(f"W{worker}-{number}",),
            notes=f"worker {worker} write {number}",
        ),
        by=None,
    )
    db.session.commit()


def _write_diary_entry(patient, worker: int, number: int) -> None:
    """One guardian's diary post through the diary service (placement and alert rules
    run), committed once as the page and the API do."""
    import uuid
    from datetime import date, timedelta

    from portal.auth.models import Role
    from portal.core.extensions import db
    from portal.diary.entries import save_entry

    guardian = next(a for a in patient.accounts if a.role == Role.GUARDIAN.value)
    day = date(2025, 1, 1) + timedelta(days=number % 365)
    payload = {
        "client_id": str(uuid.UUID(int=worker * 100_000 + number)),
        "date": day.isoformat(),
        "strength": number % 5 - 2,
        "headache": number % 4,
        "temperature_c": 38.5 if number % 10 == 0 else 37.0,  # some raise an alert
        "note": f"worker {worker} post {number}",
    }
    save_entry(patient, guardian, payload, today=date(2026, 1, 1))
    db.session.commit()


def _write_clashing_course(patient, worker: int, number: int) -> None:
    """Every worker records the same five-day courses: only one of each may be saved."""
    from datetime import date, timedelta

    from portal.core.extensions import db
    from portal.infusions.courses import CourseData, record_course

    start = date(2025, 1, 1) + timedelta(days=10 * number)
    record_course(patient, CourseData(start, 5, 2, lots=(f"W{worker}-{number}",)), by=None)
    db.session.commit()


# The write paths the concurrency test can drive.
WRITE_PATHS = {
    "infusion_course": _write_infusion_course,
    "diary_entry": _write_diary_entry,
    "clashing_course": _write_clashing_course,
}


def concurrent_writer(database_url: str, path: str, patient_id: int, worker: int, count: int):
    """One process writing `count` times; returns the errors it met (none expected)."""
    from config import TestingConfig
    from portal import create_app
    from portal.core.extensions import db
    from portal.patients.models import Patient

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    write = WRITE_PATHS[path]
    errors = []
    with app.app_context():
        patient = db.session.get(Patient, patient_id)
        for number in range(count):
            try:
                write(patient, worker, number)
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                db.session.rollback()
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")
        db.session.remove()
        db.engine.dispose()
    return errors
