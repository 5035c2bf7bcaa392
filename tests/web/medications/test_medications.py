"""Medication history: prednisolone in mg/day and mg/kg/day, other agents, weights."""

from datetime import date

from sqlalchemy import select

from portal.auth.models import Role
from portal.core.extensions import db
from portal.medications.models import MedicationRecord, WeightRecord
from tests import factories as make


def setup_patient(login_as, weight_kg=25.0):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    return make.patient(clinic, weight_kg=weight_kg, date_of_birth=date(2014, 1, 1))


def records(patient) -> list[MedicationRecord]:
    return list(
        db.session.scalars(
            select(MedicationRecord).where(MedicationRecord.patient_id == patient.id)
        )
    )


def test_prednisolone_mg_per_kg_uses_the_weight_in_force_on_each_date(client, login_as):
    patient = setup_patient(login_as, weight_kg=25.0)
    base = f"/clinic/patients/{patient.id}"
    client.post_form(
        f"{base}/medications/prednisolone/new", {"start_date": "2024-01-01", "dose": "20"}
    )
    client.post_form(f"{base}/weights/new", {"measured_on": "2024-03-01", "weight_kg": "40"})
    client.post_form(
        f"{base}/medications/prednisolone/new", {"start_date": "2024-04-01", "dose": "10"}
    )
    page = client.get(f"{base}/medications").get_data(as_text=True)
    assert (
        'data-label="mg/kg/day">0.8</td>' in page
    )  # 20 mg / 25 kg (current weight, no weighing yet)
    assert "(current weight)" in page
    assert 'data-label="mg/kg/day">0.25</td>' in page  # 10 mg / 40 kg weighed on 1 Mar
    assert len(records(patient)) == 2


def test_a_weight_typed_with_a_dose_is_kept_as_a_dated_weight(client, login_as):
    patient = setup_patient(login_as)
    client.post_form(
        f"/clinic/patients/{patient.id}/medications/prednisolone/new",
        {"start_date": "2024-01-01", "dose": "15", "weight_kg": "30"},
    )
    weight = db.session.scalar(select(WeightRecord).where(WeightRecord.patient_id == patient.id))
    assert (weight.measured_on, weight.weight_kg) == (date(2024, 1, 1), 30.0)


def test_steroid_sparing_on_the_medication_page(client, login_as):
    patient = setup_patient(login_as, weight_kg=20.0)
    make.course(patient, date(2024, 2, 1))
    base = f"/clinic/patients/{patient.id}/medications/prednisolone/new"
    client.post_form(base, {"start_date": "2024-01-01", "dose": "20"})
    client.post_form(base, {"start_date": "2024-06-01", "dose": "5"})
    page = client.get(f"/clinic/patients/{patient.id}/medications").get_data(as_text=True)
    assert "At the first course (1 Feb 2024)" in page
    assert "<dd>1 mg/kg/day</dd>" in page
    assert "<dd>0.25 mg/kg/day</dd>" in page
    assert "<dd>−0.75 mg/kg/day</dd>" in page


def test_prednisolone_dose_is_required_and_range_checked(client, login_as):
    patient = setup_patient(login_as)
    url = f"/clinic/patients/{patient.id}/medications/prednisolone/new"
    missing = client.post_form(url, {"start_date": "2024-01-01"}).get_data(as_text=True)
    assert "Enter the dose in mg/day; 0 when stopped." in missing
    huge = client.post_form(url, {"start_date": "2024-01-01", "dose": "900"}).get_data(as_text=True)
    assert "The dose must be 0 to 200 mg/day." in huge
    client.post_form(url, {"start_date": "2024-01-01", "dose": "10"})
    twice = client.post_form(url, {"start_date": "2024-01-01", "dose": "12"}).get_data(as_text=True)
    assert "A prednisolone dose from this date is recorded." in twice
    assert [r.dose for r in records(patient)] == [10.0]


def test_other_agents_with_start_stop_and_dose(client, login_as):
    patient = setup_patient(login_as)
    url = f"/clinic/patients/{patient.id}/medications/other/new"
    client.post_form(
        url,
        {"agent": "methotrexate", "start_date": "2023-05-01", "dose": "15", "dose_unit": "mg/week"},
    )
    refused = client.post_form(
        url, {"agent": "other", "start_date": "2023-05-01", "stop_date": "2023-04-01"}
    ).get_data(as_text=True)
    assert "Name the medicine." in refused or "stop date cannot be before" in refused
    (record,) = records(patient)
    client.post_form(
        f"/clinic/medications/{record.id}/edit",
        {
            "start_date": "2023-05-01",
            "stop_date": "2024-01-15",
            "dose": "15",
            "dose_unit": "mg/week",
        },
    )
    db.session.refresh(record)
    assert (record.agent, record.stop_date, record.dose_text) == (
        "methotrexate",
        date(2024, 1, 15),
        "15 mg/week",
    )
    page = client.get(f"/clinic/patients/{patient.id}/medications").get_data(as_text=True)
    assert "Methotrexate" in page and "15 Jan 2024" in page


def test_medication_records_of_another_clinic_are_not_found(client, login_as):
    other = make.patient(make.clinic())
    record = MedicationRecord(
        patient_id=other.id, agent="azathioprine", start_date=date(2024, 1, 1)
    )
    db.session.add(record)
    db.session.commit()
    login_as(Role.CLINICIAN, clinic=make.clinic())
    assert client.get(f"/clinic/patients/{other.id}/medications").status_code == 404
    assert client.get(f"/clinic/medications/{record.id}/edit").status_code == 404
    assert client.post_form(f"/clinic/medications/{record.id}/delete").status_code == 404
    assert len(records(other)) == 1
