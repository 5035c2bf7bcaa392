"""The diary service: saving, editing and deleting entries, and the alerts that follow."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary import alerts
from portal.diary.entries import delete_entry, entry_payload, save_entry
from portal.diary.models import Alert, DiaryEntry
from tests import factories as make


def alert_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Alert))


@pytest.fixture
def family():
    patient = make.patient()
    make.course(patient, today() - timedelta(days=6), days=5, status="given")
    return patient, make.user(Role.GUARDIAN, patients=[patient])


def edit(entry, by, **answers):
    payload = {**entry_payload(entry), **answers}
    saved = save_entry(entry.patient, by, payload, today=today(), entry=entry)
    db.session.commit()
    return saved


def test_a_refused_entry_stores_nothing(family):
    patient, guardian = family
    payload = {"client_id": str(uuid.uuid4()), "date": today().isoformat(), "mood": 9}
    with pytest.raises(FieldError):
        save_entry(patient, guardian, payload, today=today())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DiaryEntry)) == 0


def test_an_edit_that_adds_a_warning_sign_joins_the_open_alert(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), temperature_c=38.4)
    saved = edit(entry, guardian, warning_signs=["dark_urine"])
    assert alert_count() == 1
    assert saved.alert.reasons == ["fever", "warning:dark_urine"]
    assert saved.alert.urgency == alerts.URGENT


def test_an_edit_after_acknowledgement_raises_only_new_reasons(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), temperature_c=38.4)
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    alerts.acknowledge(entry.alerts[0], clinician, now_utc())
    db.session.commit()
    same_fever = edit(entry, guardian, note="still warm")
    assert alert_count() == 1
    assert same_fever.alert.acknowledged_at is not None
    headache = edit(entry, guardian, headache=3)
    assert alert_count() == 2
    assert headache.alert.reasons == [
        "headache_with_fever_after_infusion",
        "severe_headache_after_course",
    ]
    assert headache.alert.acknowledged_at is None


def test_an_edit_that_changes_nothing_keeps_no_version(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), mood=3)
    edit(entry, guardian)
    assert entry.versions == []


def test_a_correction_below_the_threshold_leaves_the_alert_for_a_clinician(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), temperature_c=39.0)
    edit(entry, guardian, temperature_c=36.9)
    assert alert_count() == 1
    assert entry.alerts[0].acknowledged_at is None


def test_delete_is_soft_and_recorded_once(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), mood=2, note="tired")
    delete_entry(entry, guardian, now_utc())
    delete_entry(entry, guardian, now_utc())
    db.session.commit()
    assert entry.deleted_at is not None
    assert [(v.action, v.previous["note"]) for v in entry.versions] == [("delete", "tired")]


def test_acknowledging_twice_keeps_the_first_clinician(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), warning_signs=["less_urine"])
    first, second = (make.user(Role.CLINICIAN, clinic=patient.clinic) for _ in range(2))
    assert alerts.acknowledge(entry.alerts[0], first, now_utc()) is True
    assert alerts.acknowledge(entry.alerts[0], second, now_utc()) is False
    assert entry.alerts[0].acknowledged_by_id == first.id


def test_alert_reasons_read_as_words_with_the_temperature_when_known(family):
    patient, guardian = family
    entry = make.entry(patient, guardian, today(), temperature_c=38.6)
    assert alerts.reason_label("fever", entry) == "Temperature 38.6 °C"
    assert alerts.reason_label("fever") == "High temperature"
    assert alerts.reason_label("warning:dark_urine") == "Dark or red urine"
    assert (
        alerts.reason_label("severe_headache_after_course") == "Severe headache after an infusion"
    )
