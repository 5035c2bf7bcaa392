"""A child with one of every kind of record, for the FHIR tests: and deleted ones beside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.assessments.records import delete_assessment
from portal.auth.models import Role, User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.entries import delete_entry
from portal.infusions.courses import delete_course
from portal.medications.records import MedicationData, record_medication
from portal.patients.models import Patient
from portal.review import actions
from tests import factories as make


@dataclass
class World:
    patient: Patient
    guardian: User
    clinician: User
    other_clinic_clinician: User
    other_guardian: User


def child_with_everything() -> World:
    clinic = make.clinic("Riverside Children's")
    patient = make.patient(clinic, name="Maya Jane Okafor", patient_ref="RX-4471", weight_kg=30)
    patient.onset_date = today() - timedelta(days=400)
    db.session.commit()
    course = make.course(patient, today() - timedelta(days=40), days=2, lots=("P100234", "P7"))
    make.course(patient, today() + timedelta(days=20), status="planned")
    make.weight(patient, today() - timedelta(days=60), 32.5)
    make.assessment(
        patient, course.start_date - timedelta(days=2), myometry=30.0, cmas=34, ck=2450.0
    )
    make.prednisolone(patient, today() - timedelta(days=100), 20)
    record_medication(
        patient,
        MedicationData(agent="methotrexate", start_date=today() - timedelta(days=90), dose=15,
                       dose_unit="mg/m2/week"),
        by=None,
    )  # fmt: skip
    db.session.commit()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    fever = make.entry(
        patient, guardian, course.end_date + timedelta(days=1), temperature_c=38.6, headache=2,
        nausea=1, strength=-1, warning_signs=["stiff_neck"], note="Sore at bedtime",
    )  # fmt: skip
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    actions.reply_to_entry(fever, clinician, "Please call us today.", now_utc())
    db.session.commit()
    # Records deleted in error: none of them may leave the portal.
    gone = make.entry(patient, guardian, today() - timedelta(days=3), note="Deleted-note-8812")
    delete_entry(gone, guardian, now_utc())
    delete_assessment(make.assessment(patient, today() - timedelta(days=5), cmas=11), None,
                      now_utc())  # fmt: skip
    delete_course(make.course(patient, today() - timedelta(days=200), lots=("GONE-LOT",)), None,
                  now_utc())  # fmt: skip
    db.session.commit()
    return World(
        patient=patient,
        guardian=guardian,
        clinician=clinician,
        other_clinic_clinician=make.user(Role.CLINICIAN, clinic=make.clinic("Hillside")),
        other_guardian=make.user(Role.GUARDIAN, patients=[make.patient(clinic)]),
    )
