"""Tables fit their page at 1280 px and at 360 px: the columns that matter first, the rest
behind a per-row details toggle, or in a labelled scroll region a keyboard can reach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.medications.records import MedicationData, record_medication
from portal.review import actions
from tests import factories as make
from tests.browser.conftest import DESKTOP, NARROW_PHONE, horizontal_overflow, log_in
from tests.factories import PASSWORD

# Each table either fits the box it sits in, or sits in a scroll region that a keyboard can
# focus and whose label is on screen; nothing else may be cut off.
TABLE_PROBLEMS = """() => Array.from(document.querySelectorAll('main table')).flatMap(table => {
  const box = table.parentElement;
  if (table.scrollWidth <= box.clientWidth + 1) return [];
  const region = table.closest('[role=region]');
  const labelId = region && region.getAttribute('aria-labelledby');
  const label = labelId && document.getElementById(labelId);
  const seen = label && label.getClientRects().length && label.getBoundingClientRect().width > 2
    && getComputedStyle(label).clip !== 'rect(0px, 0px, 0px, 0px)'
    && !label.classList.contains('visually-hidden');
  if (region && region.tabIndex === 0 && seen) return [];
  return [`${(table.caption && table.caption.textContent.trim().slice(0, 60)) || 'table'}: `
          + `${table.scrollWidth}px in ${box.clientWidth}px`];
})"""


def a_busy_patient():
    clinic = make.clinic("Riverside Children's")
    patient = make.patient(clinic, name="Maya Okafor")
    clinician = make.user(Role.CLINICIAN, clinic=clinic, email="dr.shah@example.test")
    for n in range(4):
        course = make.course(patient, today() - timedelta(days=40 * n + 20), lots=("P1", "P2"))
        make.assessment(patient, course.start_date - timedelta(days=1), myometry=30.0 + n,
                        cmas=30 + n, mmt8=60, chaq=0.5, ck=900.0, ldh=300.0, ast=40.0, alt=30.0,
                        aldolase=9.0, motor_ability_score=30, walk_28ft_seconds=8.5,
                        physician_global=3.0, parent_global=4.0)  # fmt: skip
    make.prednisolone(patient, today() - timedelta(days=200), 20)
    make.prednisolone(patient, today() - timedelta(days=100), 12.5)
    make.weight(patient, today() - timedelta(days=100), 31.2)
    record_medication(patient, MedicationData(agent="methotrexate", start_date=today()
                      - timedelta(days=300), dose=15.0, dose_unit="mg_week",
                      notes="Weekly, with folic acid"), clinician)  # fmt: skip
    db.session.commit()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    entry = make.entry(patient, guardian, today() - timedelta(days=1), temperature_c=38.4,
                       headache=2, note="Hot and tired after the drip")  # fmt: skip
    actions.reply_to_entry(entry, clinician, "Please call us today.", now_utc())
    db.session.commit()
    return patient


PAGES = [
    "/clinic/dashboard",
    "/clinic/patients/{id}",
    "/clinic/patients/{id}/review",
    "/clinic/patients/{id}/assessments",
    "/clinic/patients/{id}/medications",
    "/clinic/patients/{id}/diary",
    "/clinic/patients/{id}/course-response",
    "/clinic/triage",
    "/clinic/reports/course-response",
    "/audit",
]


@pytest.mark.parametrize("size", [DESKTOP, NARROW_PHONE], ids=["1280px", "360px"])
def test_clinic_tables_fit_at_1280_and_360_pixels(live_url, browser, size):
    patient = a_busy_patient()
    context = browser.new_context(viewport=size)
    page = context.new_page()
    try:
        log_in(page, live_url, "dr.shah@example.test", PASSWORD)
        page.wait_for_url("**/clinic/dashboard")
        problems = []
        for path in PAGES:
            page.goto(live_url + path.format(id=patient.id))
            overflow = horizontal_overflow(page)
            if overflow:
                problems.append(f"{path}: page {overflow}px too wide")
            problems += [f"{path}: {p}" for p in page.evaluate(TABLE_PROBLEMS)]
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
