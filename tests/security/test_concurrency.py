"""Concurrent writers lose nothing and never see "database is locked" (SQLite or PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.infusions.models import CourseLot, InfusionCourse
from tests.factories import make_patient
from tests.security.workers import concurrent_writer

PROCESSES = 4
WRITES_EACH = 200


@pytest.mark.slow
@pytest.mark.parametrize("path", ["infusion_course"])
def test_four_processes_writing_200_times_each_lose_nothing(app, path):
    patient = make_patient()
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    context = multiprocessing.get_context("spawn")  # no connection is inherited by a fork
    started = time.monotonic()
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            concurrent_writer,
            [(database_url, path, patient.id, worker, WRITES_EACH) for worker in range(PROCESSES)],
        )
    elapsed = time.monotonic() - started

    errors = [error for worker_errors in results for error in worker_errors]
    assert errors == [], errors[:5]
    expected = PROCESSES * WRITES_EACH
    courses = db.session.scalar(
        select(func.count())
        .select_from(InfusionCourse)
        .where(InfusionCourse.patient_id == patient.id)
    )
    lots = set(db.session.scalars(select(CourseLot.lot_number)))
    assert courses == expected
    assert lots == {f"W{w}-{n}" for w in range(PROCESSES) for n in range(WRITES_EACH)}
    created = select(func.count()).where(
        AuditEvent.action == "create", AuditEvent.object_type == "infusion_courses"
    )
    assert db.session.scalar(created) == expected  # every write audited, none lost
    assert elapsed < 90, f"{expected} writes took {elapsed:.0f} s"
