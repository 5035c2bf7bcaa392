"""Response by lot through the page, the CSV and the JSON: lots built to give known answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.extensions import db
from tests import factories as make

PAGE = "/clinic/reports/lots"
JSON = "/clinic/reports/lots.json"
D0 = date(2024, 3, 4)


def assessed_course(patient, start: date, lots: tuple[str, ...], before: float, after: float):
    course = make.course(patient, start, days=5, lots=lots)
    make.assessment(patient, start - timedelta(days=1), myometry=before)
    make.assessment(patient, course.end_date + timedelta(days=10), myometry=after)
    return course


def clinic_with_lots():
    clinic = make.clinic()
    ada, ben = make.patient(clinic, patient_ref="ADA1"), make.patient(clinic, patient_ref="BEN1")
    # Lot P-100: +4, +2, −1 (one course shared with P-200); P-200: +5, +6 and the shared +2.
    assessed_course(ada, D0, ("P-100",), 20.0, 24.0)
    assessed_course(ada, D0 + timedelta(weeks=6), ("p-100", "P-200"), 24.0, 26.0)
    assessed_course(ben, D0, ("P-100",), 30.0, 29.0)
    assessed_course(ben, D0 + timedelta(weeks=6), ("P-200",), 29.0, 34.0)
    assessed_course(ben, D0 + timedelta(weeks=12), ("P-200",), 34.0, 40.0)
    make.course(ada, D0 + timedelta(weeks=12), lots=("P-300",))  # not assessed
    make.diary_row(ada, D0 + timedelta(weeks=12, days=6), headache=3)
    return clinic


@pytest.fixture
def lots(client, login_as):
    login_as(Role.CLINICIAN, clinic=clinic_with_lots())
    return client


def test_each_lot_has_its_courses_assessed_improved_and_changes(lots):
    data = lots.get(JSON).json
    found = {lot["lot_number"]: lot for lot in data["lots"]}
    p100, p200, p300 = found["P-100"], found["P-200"], found["P-300"]
    assert (p100["courses"], p100["assessed"], p100["improved"]) == (3, 3, 2)
    assert p100["mean_change"] == pytest.approx(5 / 3, abs=1e-4) and p100["median_change"] == 2
    assert (p200["courses"], p200["assessed"], p200["improved"]) == (3, 3, 3)
    assert p200["mean_change"] == pytest.approx(13 / 3, abs=1e-4)
    assert (p300["courses"], p300["assessed"], p300["mean_change"]) == (1, 0, None)
    assert p300["side_effects"]["severe_headache"]["courses"] == 1
    assert (data["courses"], data["mixed_lot_courses"], data["courses_without_lot"]) == (6, 1, 0)


def test_a_mixed_lot_course_is_counted_under_both_lots_and_marked(lots):
    found = {lot["lot_number"]: lot for lot in lots.get(JSON).json["lots"]}
    for number in ("P-100", "P-200"):
        mixed = [c for c in found[number]["course_list"] if c["mixed"]]
        assert [(c["patient_ref"], c["start_date"]) for c in mixed] == [("ADA1", "2024-04-15")]
        assert found[number]["mixed_courses"] == 1


def test_lots_with_fewer_than_three_assessed_courses_are_shown_but_not_ranked(lots):
    data = lots.get(JSON).json
    assert [(lot["lot_number"], lot["rank"]) for lot in data["lots"]] == [
        ("P-200", 1),
        ("P-100", 2),
        ("P-300", None),
    ]
    assert data["ranked_from_assessed_courses"] == 3
    assert "not proof" in data["statement"]


def test_the_page_says_it_is_descriptive_and_lists_every_lot(lots):
    page = lots.get(PAGE).get_data(as_text=True)
    assert "This is a description, not proof" in page
    assert "not ranked" in page
    assert "3 (1 mixed)" in page
    assert "<strong>Mixed</strong>: p-100, P-200" in page


def test_the_csv_has_one_row_per_lot_and_one_per_course_of_each_lot(lots):
    response = lots.get("/clinic/reports/lots.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Privigen,P-200,1,3,1,3,3,4.3333,5.0," in text
    assert "Privigen,P-300,not ranked,1,0,0,0,,," in text
    assert "Privigen,P-100,ADA1,2024-04-15,2 g/kg over 5 days,True,2.0,True" in text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "lot_report"))
    assert [(e.action, e.fields) for e in events] == [("export", "csv")]


def test_another_clinics_lots_are_never_counted(client, login_as):
    mine = make.clinic()
    make.course(make.patient(mine), D0, lots=("MINE-1",))
    make.course(make.patient(make.clinic()), D0, lots=("THEIRS-1",))
    login_as(Role.CLINICIAN, clinic=mine)
    assert [lot["lot_number"] for lot in client.get(JSON).json["lots"]] == ["MINE-1"]


def test_the_page_lists_each_lots_latest_courses_and_points_to_the_csv(
    client, login_as, monkeypatch
):
    monkeypatch.setattr("portal.reports.analysis_views.PAGE_LOT_COURSES", 2)
    clinic = make.clinic()
    patient = make.patient(clinic, patient_ref="MANY1")
    for week in (0, 6, 12):
        make.course(patient, D0 + timedelta(weeks=week), lots=("ONE",))
    login_as(Role.CLINICIAN, clinic=clinic)
    page = client.get(PAGE).get_data(as_text=True)
    assert "the latest 2 of 3 (the CSV has them all)" in page
    assert "15 Apr 2024" in page and "27 May 2024" in page and "4 Mar 2024" not in page
