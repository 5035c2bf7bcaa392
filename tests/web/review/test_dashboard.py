"""The clinic dashboard: triage order, acknowledgement, unreviewed reports, patient rows."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from tests import factories as make
from tests.querycount import counted_queries


def positions(page: str, *names: str) -> list[int]:
    return [page.index(name) for name in names]


def test_clinician_lands_on_the_dashboard(client, login_as):
    login_as(Role.CLINICIAN)
    assert client.get("/").headers["Location"].endswith("/clinic/dashboard")


def test_triage_lists_most_urgent_first_then_oldest_and_only_own_clinic(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    clinic = clinician.clinic
    now = now_utc()
    names = {}
    for name, urgency, hours_ago in (("Alma", 1, 3), ("Bea", 2, 1), ("Cleo", 1, 5)):
        patient = make.patient(clinic, name=f"{name} Triage")
        make.alert(
            make.diary_row(patient), urgency=urgency, created_at=now - timedelta(hours=hours_ago)
        )
        names[name] = patient
    done = make.alert(make.diary_row(make.patient(clinic, name="Dora Done")), urgency=3)
    done.acknowledged_at = now
    other = make.patient(make.clinic(), name="Eve Elsewhere")
    make.alert(make.diary_row(other), urgency=3)
    db.session.commit()

    page = client.get("/clinic/dashboard").get_data(as_text=True)
    triage = page.split('id="triage-heading"')[1].split('id="unreviewed-heading"')[0]
    bea, cleo, alma = positions(triage, "Bea Triage", "Cleo Triage", "Alma Triage")
    assert bea < cleo < alma
    assert "Dora Done" not in triage
    assert "Eve Elsewhere" not in page
    assert triage.count("Acknowledge<") == 3


def test_acknowledging_takes_the_alert_off_triage_and_records_who_and_when(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Ada Alert")
    entry = make.diary_row(patient, temperature_c=38.6)
    alert = make.alert(entry)

    response = client.post_form(f"/clinic/alerts/{alert.id}/acknowledge")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/clinic/dashboard")
    alert = db.session.get(Alert, alert.id)
    assert alert.acknowledged_by_id == clinician.id
    assert now_utc() - alert.acknowledged_at < timedelta(minutes=1)

    dashboard = client.get("/clinic/dashboard").get_data(as_text=True)
    assert "No alerts waiting." in dashboard
    review = client.get(f"/clinic/patients/{patient.id}/review").get_data(as_text=True)
    assert f"Acknowledged by {clinician.name}" in review  # it stays on the record


def test_acknowledging_needs_the_csrf_token_and_the_right_clinic(client, login_as):
    login_as(Role.CLINICIAN)
    elsewhere = make.alert(make.diary_row(make.patient(make.clinic())))
    assert client.post_form(f"/clinic/alerts/{elsewhere.id}/acknowledge").status_code == 404
    assert client.post_form("/clinic/alerts/999999/acknowledge").status_code == 404
    assert db.session.get(Alert, elsewhere.id).acknowledged_at is None


def test_acknowledge_without_token_is_refused(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    alert = make.alert(make.diary_row(make.patient(clinician.clinic)))
    assert client.post(f"/clinic/alerts/{alert.id}/acknowledge").status_code == 400
    assert db.session.get(Alert, alert.id).acknowledged_at is None


def test_unreviewed_reports_list_patients_waiting_longest_first(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    recent = make.patient(clinician.clinic, name="Rita Recent")
    waiting = make.patient(clinician.clinic, name="Wes Waiting")
    settled = make.patient(clinician.clinic, name="Sal Settled")
    make.diary_row(recent, today())
    for days in (9, 2):
        make.diary_row(waiting, today() - timedelta(days=days))
    make.diary_row(settled, today(), reviewed_at=now_utc())
    make.diary_row(settled, today(), deleted_at=now_utc())

    page = client.get("/clinic/dashboard").get_data(as_text=True)
    section = page.split('id="unreviewed-heading"')[1].split('id="patients-heading"')[0]
    assert section.index("Wes Waiting") < section.index("Rita Recent")
    assert "2 reports" in section and "1 report<" in section
    assert "Sal Settled" not in section


def test_patient_rows_show_last_entry_days_since_course_and_next_course(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Pia Rows")
    make.course(patient, today() - timedelta(days=14), days=5)  # ended 10 days ago
    make.course(patient, today() + timedelta(days=30), status="planned")
    make.course(patient, today() + timedelta(days=60), status="planned")
    make.diary_row(patient, today() - timedelta(days=3))
    make.assessment(patient, today() - timedelta(days=15), myometry=31.0)
    make.assessment(patient, today() - timedelta(days=2), myometry=34.25)
    make.assessment(patient, today() - timedelta(days=1), ck=700.0)  # no myometry that day
    make.patient(clinician.clinic, name="Quin Quiet")

    page = client.get("/clinic/dashboard").get_data(as_text=True)
    table = page.split('id="patients-heading"')[1]
    pia = table.split("Pia Rows", 1)[1].split("</tr>")[0]
    assert f'href="/clinic/patients/{patient.id}/review"' in pia
    assert f'href="/clinic/patients/{patient.id}/chart"' in pia
    assert "10 days" in pia
    assert '<td role="cell" data-label="Latest mean myometry">34.25</td>' in pia
    assert f"{(today() + timedelta(days=30)).day} " in pia
    quin = table.split("Quin Quiet", 1)[1].split("</tr>")[0]
    assert "None yet" in quin and "No course given" in quin and "None planned" in quin
    assert 'data-label="Latest mean myometry">–</td>' in quin


def test_search_narrows_patients_but_triage_keeps_every_alert(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    found = make.patient(clinician.clinic, name="Nora Found", patient_ref="NF-77")
    hidden = make.patient(clinician.clinic, name="Olly Other")
    make.alert(make.diary_row(hidden))
    make.diary_row(found)

    page = client.post_form("/clinic/dashboard", {"q": "nf-7"}).get_data(as_text=True)
    patients = page.split('id="patients-heading"')[1]
    assert "Nora Found" in patients and "Olly Other" not in patients
    triage = page.split('id="triage-heading"')[1].split('id="unreviewed-heading"')[0]
    assert "Olly Other" in triage


def seed_clinic(clinic, patients: int) -> None:
    """Patients with courses, a fortnight of entries each, and an alert for every third."""
    for n in range(patients):
        patient = make.patient(clinic, name=f"Load Patient{n:03d}")
        make.course(patient, today() - timedelta(days=20))
        make.course(patient, today() + timedelta(days=20), status="planned")
        entries = [
            DiaryEntry(patient_id=patient.id, client_id=f"load-{patient.id}-{d}",
                       entry_date=today() - timedelta(days=d), author_role="guardian",
                       strength=d % 5 - 2)
            for d in range(14)
        ]  # fmt: skip
        db.session.add_all(entries)
        db.session.flush()
        for week in range(4):  # assessments too, so their column is read in bulk as well
            make.assessment(patient, today() - timedelta(days=7 * week), myometry=30.0 + week)
            db.session.add(Alert(patient_id=patient.id, entry_id=entries[0].id, reasons=["fever"]))
    db.session.commit()


def dashboard_queries(client, clinician) -> int:
    with counted_queries() as statements:
        response = client.get("/clinic/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    patients = page.split('id="patients-heading"')[1]
    expected = len(clinician.clinic.patients)
    assert patients.count(">Load Patient") == expected  # one row per patient
    return len(statements)


def test_dashboard_query_count_is_the_same_for_5_and_50_patients(client, login):
    small_clinic, large_clinic = make.clinic(), make.clinic()
    seed_clinic(small_clinic, 5)
    seed_clinic(large_clinic, 50)
    small = make.user(Role.CLINICIAN, clinic=small_clinic)
    large = make.user(Role.CLINICIAN, clinic=large_clinic)
    login(small)
    small_count = dashboard_queries(client, small)
    client.post_form("/logout")
    login(large)
    large_count = dashboard_queries(client, large)
    assert small_count == large_count
    assert large_count <= 13  # 11, and 2 for the families' contacts on the triage list
