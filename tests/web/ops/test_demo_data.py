"""The demo shows months of diary by the parent and the child, with one alert still open."""

from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.medications.models import MedicationRecord, WeightRecord
from portal.ops.demo import load_demo_data
from portal.patients.models import Patient


def counts() -> tuple[int, int, int]:
    entries = db.session.scalar(select(func.count()).select_from(DiaryEntry))
    alerts = db.session.scalar(select(func.count()).select_from(Alert))
    waiting = db.session.scalar(
        select(func.count()).select_from(Alert).where(Alert.acknowledged_at.is_(None))
    )
    return entries, alerts, waiting


def test_demo_diary_loads_once_with_acknowledged_and_waiting_alerts(client):
    load_demo_data(today())
    db.session.commit()
    first = counts()
    load_demo_data(today())
    db.session.commit()
    assert counts() == first
    entries, alerts, waiting = first
    assert entries > 100 and alerts > waiting >= 1
    roles = set(db.session.scalars(select(DiaryEntry.author_role)))
    assert roles == {"guardian", "child"}
    client.post_form("/login", {"email": "clinician@demo.test", "password": "demo-pass-1234"})
    assert "Maya Okafor" in client.get("/clinic/triage").get_data(as_text=True)


def clinic_counts() -> tuple[int, int, int]:
    assessments = db.session.scalar(select(func.count()).select_from(Assessment))
    doses = db.session.scalar(select(func.count()).select_from(MedicationRecord))
    weights = db.session.scalar(select(func.count()).select_from(WeightRecord))
    return assessments, doses, weights


def test_demo_measurements_load_once_and_give_every_clinician_chart_a_picture(client):
    load_demo_data(today())
    db.session.commit()
    first = clinic_counts()
    load_demo_data(today())
    db.session.commit()
    assert clinic_counts() == first
    maya = db.session.scalar(select(Patient).where(Patient.patient_ref == "DEMO-001"))
    assert [c.indication for c in maya.courses].count("relapse") == 1

    client.post_form("/login", {"email": "clinician@demo.test", "password": "demo-pass-1234"})
    charts = client.get(f"/api/patients/{maya.id}/charts/clinic").json["charts"]
    series = {s["id"]: s["points"] for s in charts["timeline"]["series"]}
    assert len(series["mean_myometry"]) >= 6 and len(series["ck"]) >= 3
    doses = [value for _, value in series["prednisolone"]]
    assert doses[0] > doses[-1] > 0  # tapered, never stopped
    assert any(band.get("relapse") for band in charts["timeline"]["bands"])
    pairs = charts["myometry_slope"]["pairs"]
    assert any(p["after"] > p["before"] for p in pairs)
    assert any(p["after"] <= p["before"] for p in pairs)  # not every course helped
    assert charts["home_slope"]["pairs"]

    cohort = client.get("/clinic/reports/course-response/charts.json").json["charts"]
    assert len(cohort["paired_courses"]["pairs"]) > len(pairs)  # both children
    assert all(any(v for v in s["values"]) for s in cohort["side_effects"]["series"])
    dashboard = client.get("/clinic/dashboard").get_data(as_text=True)
    assert 'data-label="Latest mean myometry">–' not in dashboard
    review = client.get(f"/clinic/patients/{maya.id}/review").get_data(as_text=True)
    assert "Clinic assessment" in review
