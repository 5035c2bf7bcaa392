"""One placement rule: the family's pages, the API and the clinic's pages name a day alike."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.security.conftest import log_in

# Days counted from the first infusion day of course 1 (given, 5 days); a course was
# cancelled from day 20, and course 2 is planned from day 50, not yet marked as given.
KINDS_OF_DAY = {
    "before the first course": (-3, "3 days before the first course"),
    "during a given course": (2, "during course 1 (day 3 of 5)"),
    "the day after the last infusion": (5, "day 1 after course 1 (2 g/kg over 5 days)"),
    "after a cancelled course": (21, "day 17 after course 1 (2 g/kg over 5 days)"),
    "between two courses, nearer the next": (40, "10 days before the next course"),
    "during a planned course": (51, "during course 2 (day 2 of 5)"),
}


@pytest.fixture
def calendar_world(app):
    clinic = make.clinic("Placement Clinic")
    patient = make.patient(clinic, name="Pip Place")
    first_day = today() - timedelta(days=70)
    make.course(patient, first_day, days=5, status="given")
    make.course(patient, first_day + timedelta(days=20), days=5, status="cancelled")
    make.course(patient, first_day + timedelta(days=50), days=5, status="planned")
    entries = {
        kind: make.diary_row(patient, first_day + timedelta(days=offset), mood=4)
        for kind, (offset, _) in KINDS_OF_DAY.items()
    }
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    return patient, entries, log_in(app, guardian), log_in(app, clinician)


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("kind", KINDS_OF_DAY)
def test_every_kind_of_day_reads_the_same_on_family_pages_api_and_clinic_pages(
    calendar_world, kind
):
    patient, entries, family, clinic = calendar_world
    entry = entries[kind]
    label = KINDS_OF_DAY[kind][1]
    title = label[0].upper() + label[1:]

    api = family.get(f"/api/v1/patients/{patient.id}/diary").get_json()
    placed = next(e["placement"] for e in api["entries"] if e["id"] == entry.id)
    assert placed["label"] == label

    assert title in page_text(family, f"/family/{patient.id}/diary/{entry.id}")
    assert title in page_text(family, f"/family/{patient.id}/diary")
    assert label in page_text(clinic, f"/clinic/patients/{patient.id}/diary")
    assert title in page_text(clinic, f"/clinic/patients/{patient.id}/review")


def test_a_planned_course_under_way_says_so_to_the_family_and_the_clinic(calendar_world):
    patient, entries, family, clinic = calendar_world
    entry = entries["during a planned course"]
    caveat = "not yet marked as given by the clinic"
    assert caveat in page_text(family, f"/family/{patient.id}/diary/{entry.id}").lower()
    review = page_text(clinic, f"/clinic/patients/{patient.id}/review")
    assert f"During course 2 (day 2 of 5) ({caveat})" in review
    assert "During course 2: 2 g/kg over 5 days" in review  # its group on the review page
