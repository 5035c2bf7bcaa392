"""Demo data for someone trying the portal: one clinic, its accounts, two children."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.auth.accounts import create_user, find_user, get_or_create_clinic, link_patient
from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.infusions.courses import CourseData, record_course
from portal.ops.demo_clinic import DemoPlan, add_demo_measurements
from portal.ops.demo_diary import add_demo_diary
from portal.patients.records import PatientData, enrol_patient, find_by_ref

DEMO_PASSWORD = "demo-pass-1234"  # noqa: S105 - published demo credential
DEMO_CLINIC = "Demo Children's Hospital"
DEMO_PHONE = "0161 496 0000"

ELDER = PatientData(
    "DEMO-001", "Maya Okafor", date(2015, 4, 12), "female", date(2023, 9, 1), "banker", 31.5
)
YOUNGER = PatientData(
    "DEMO-002", "Leo Okafor", date(2018, 11, 3), "male", date(2024, 6, 15), "brunsting", 22.0
)

# Maya's third course was for a relapse and her second brought no measured gain; neither
# family came back after every course.
ELDER_PLAN = DemoPlan(
    first_mean=31.0,
    first_ck=1850,
    start_mg=30,
    taper_step_mg=5,
    lowest_mg=7.5,
    missed_after=(4,),
    no_gain=(2,),
)
YOUNGER_PLAN = DemoPlan(
    first_mean=26.0, first_ck=960, start_mg=20, taper_step_mg=2.5, lowest_mg=5, missed_after=(1,)
)


@dataclass
class DemoSummary:
    accounts: list[tuple[str, str]] = field(default_factory=list)


def _account(login: str, role: Role, clinic: Clinic | None, name: str) -> User:
    return find_user(login) or create_user(
        login, DEMO_PASSWORD, role, clinic=clinic, display_name=name
    )


def _indication(number: int, relapse: int | None) -> str:
    if number == relapse:
        return "relapse"
    return "weakness" if number else "steroid_dependence"


def _courses_for(
    patient, today: date, first_offset_days: int, lots: list[str], relapse: int | None
) -> None:
    """Given courses every six weeks up to now, and the next one planned.

    The course numbered `relapse` (from 0) was given for a relapse, so charts flag one.
    """
    start = today - timedelta(days=first_offset_days)
    number = 0
    while start <= today + timedelta(days=42):
        given = start + timedelta(days=4) < today
        five_day = number % 3 != 0
        record_course(
            patient,
            CourseData(
                start_date=start,
                days=5 if five_day else 3,
                total_dose_g_per_kg=2,
                product="Privigen",
                lots=(lots[number % len(lots)],),
                indication=_indication(number, relapse),
                status="given" if given else "planned",
            ),
            by=None,
        )
        number += 1
        start += timedelta(days=42)


def load_demo_data(today: date) -> DemoSummary:
    """Create whatever part of the demo is missing; running it twice changes nothing."""
    clinic = get_or_create_clinic(DEMO_CLINIC)
    clinic.phone = clinic.phone or DEMO_PHONE
    summary = DemoSummary()
    clinician = _account("clinician@demo.test", Role.CLINICIAN, clinic, "Dr Amara Shah")
    _account("admin@demo.test", Role.ADMIN, None, "Portal administrator")
    parent = _account("parent@demo.test", Role.GUARDIAN, None, "Grace Okafor")
    parent.phone = parent.phone or "+447911123456"  # a number the clinic can call (E.164)
    child = _account("child@demo.test", Role.CHILD, None, "Maya")
    children = (
        (ELDER, 180, ["P100234", "P100871"], 2, ELDER_PLAN),
        (YOUNGER, 120, ["P200117"], None, YOUNGER_PLAN),
    )
    for data, offset, lots, relapse, plan in children:
        patient = find_by_ref(data.patient_ref, clinic)
        if patient is None:
            patient = enrol_patient(clinic, data)
            _courses_for(patient, today, offset, lots, relapse)
        link_patient(parent, patient)
        own_login = child if data is ELDER else None
        if own_login is not None:
            link_patient(own_login, patient)
        add_demo_diary(patient, parent, clinician, today, days=offset + 21, child=own_login)
        add_demo_measurements(patient, clinician, plan, today)
    summary.accounts = [
        ("clinician", "clinician@demo.test"),
        ("guardian", "parent@demo.test"),
        ("child", "child@demo.test"),
        ("admin", "admin@demo.test"),
    ]
    return summary
