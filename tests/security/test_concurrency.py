"""Concurrent writers lose nothing and never see "database is locked" (SQLite or PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import CourseLot, InfusionCourse
from tests import factories as make
from tests.security.workers import concurrent_writer

PROCESSES = 4
WRITES_EACH = 200
EXPECTED = PROCESSES * WRITES_EACH


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _created(table: str) -> int:
    return _count(
        select(AuditEvent.id).where(AuditEvent.action == "create", AuditEvent.object_type == table)
    )


def _run_writers(database_url: str, path: str, patient_id: int, each: int) -> list[str]:
    """Run the writers at once; every error they met."""
    context = multiprocessing.get_context("spawn")  # no connection is inherited by a fork
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            concurrent_writer,
            [(database_url, path, patient_id, worker, each) for worker in range(PROCESSES)],
        )
    return [error for worker_errors in results for error in worker_errors]


def _write_concurrently(database_url: str, path: str, patient_id: int) -> float:
    """Run the writers; the seconds they took (every error they met fails the test)."""
    started = time.monotonic()
    errors = _run_writers(database_url, path, patient_id, WRITES_EACH)
    assert errors == [], errors[:5]
    return time.monotonic() - started


@pytest.mark.slow
def test_four_processes_recording_200_courses_each_lose_nothing(app):
    patient = make.patient()
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    elapsed = _write_concurrently(database_url, "infusion_course", patient.id)

    courses = _count(select(InfusionCourse.id).where(InfusionCourse.patient_id == patient.id))
    lots = set(db.session.scalars(select(CourseLot.lot_number)))
    assert courses == EXPECTED
    assert lots == {f"W{w}-{n}" for w in range(PROCESSES) for n in range(WRITES_EACH)}
    assert _created("infusion_courses") == EXPECTED  # every write audited, none lost
    assert elapsed < 90, f"{EXPECTED} writes took {elapsed:.0f} s"


@pytest.mark.slow
def test_four_processes_recording_the_same_courses_at_once_save_each_only_once(app):
    patient = make.patient()
    each = 25
    errors = _run_writers(
        app.config["SQLALCHEMY_DATABASE_URI"], "clashing_course", patient.id, each
    )
    db.session.expire_all()
    starts = list(
        db.session.scalars(
            select(InfusionCourse.start_date).where(InfusionCourse.patient_id == patient.id)
        )
    )
    assert len(starts) == each and len(set(starts)) == each  # one of each, never two
    assert len(errors) == each * (PROCESSES - 1)
    assert all(e.startswith("FieldError: start_date: These dates overlap") for e in errors)


@pytest.mark.slow
def test_four_processes_posting_200_diary_entries_each_lose_nothing(app):
    patient = make.patient()
    make.user(Role.GUARDIAN, patients=[patient])
    make.course(patient)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    elapsed = _write_concurrently(database_url, "diary_entry", patient.id)

    entries = select(DiaryEntry).where(DiaryEntry.patient_id == patient.id)
    notes = set(db.session.scalars(entries.with_only_columns(DiaryEntry.note)))
    assert notes == {f"worker {w} post {n}" for w in range(PROCESSES) for n in range(WRITES_EACH)}
    fevers = EXPECTED // 10  # every tenth post has 38.5 °C
    assert _count(select(Alert.id).where(Alert.patient_id == patient.id)) == fevers
    assert _created("diary_entries") == EXPECTED
    assert _created("alerts") == fevers
    assert elapsed < 90, f"{EXPECTED} diary posts took {elapsed:.0f} s"
