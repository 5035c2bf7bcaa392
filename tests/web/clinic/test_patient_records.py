"""The clinic's patient list, enrolling a patient, and the patient record."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.patients.models import Patient
from tests import factories as make


def patient_form(**overrides) -> dict:
    form = {
        "patient_ref": "rx-1234",
        "name": "Ada Lovelace",
        "date_of_birth": "2016-05-01",
        "sex": "female",
        "onset_date": "2023-09-01",
        "subtype": "banker",
        "weight_kg": "31.5",
    }
    form.update(overrides)
    return form


def patient_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Patient))


def test_clinician_enrols_a_patient_with_every_detail(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    response = client.post_form("/clinic/patients/new", patient_form())
    patient = db.session.scalars(select(Patient)).one()
    assert response.headers["Location"].endswith(f"/clinic/patients/{patient.id}")
    assert patient.clinic_id == clinician.clinic_id
    assert patient.patient_ref == "RX-1234"
    assert (patient.name, patient.sex, patient.subtype) == ("Ada Lovelace", "female", "banker")
    assert patient.date_of_birth == date(2016, 5, 1)
    assert patient.onset_date == date(2023, 9, 1)
    assert patient.weight_kg == 31.5
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Ada Lovelace is enrolled. Give the family an enrolment code." in page
    assert "Create an enrolment code" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("patient_ref", "", "Hospital reference: Enter the hospital reference."),
        ("patient_ref", "RX 12", "Hospital reference: Use letters, digits"),
        ("name", "", "Child's full name: Enter the child's name."),
        ("date_of_birth", "", "Date of birth: Enter the date of birth."),
        ("date_of_birth", "2099-01-01", "Date of birth: The date of birth cannot be in the"),
        ("date_of_birth", "1980-01-01", "Date of birth: This portal is for children"),
        ("onset_date", "2015-01-01", "Date of disease onset: The onset date cannot be before"),
        ("sex", "unknown", "Sex: Not a valid choice."),
        ("weight_kg", "0", "Current weight (kg): Weight must be between 1 and 200 kg."),
        ("weight_kg", "heavy", "Current weight (kg): Not a valid decimal value."),
    ],
)
def test_bad_patient_detail_is_named_and_nothing_is_saved(client, login_as, field, value, message):
    login_as(Role.CLINICIAN)
    response = client.post_form("/clinic/patients/new", patient_form(**{field: value}))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert message in page
    assert patient_count() == 0
    assert 'value="Ada Lovelace"' in page or field == "name"


def test_hospital_reference_is_unique_in_the_clinic_whatever_its_case(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    make.patient(clinician.clinic, patient_ref="RX-1234")
    page = client.post_form("/clinic/patients/new", patient_form(patient_ref="rx-1234"))
    assert "A patient of this clinic has this hospital reference." in page.get_data(as_text=True)
    assert patient_count() == 1


def test_another_clinics_reference_is_free_here_and_nothing_tells_of_it(client, login_as):
    make.patient(make.clinic("Elsewhere"), patient_ref="OTH-001", name="Zed Other")
    clinician = login_as(Role.CLINICIAN)
    response = client.post_form("/clinic/patients/new", patient_form(patient_ref="oth-001"))
    assert response.status_code == 302  # enrolled here, exactly as if the other did not exist
    ours = db.session.scalar(select(Patient).where(Patient.clinic_id == clinician.clinic_id))
    assert ours.patient_ref == "OTH-001" and ours.name == "Ada Lovelace"
    assert patient_count() == 2


def test_patient_list_shows_only_this_clinics_patients_and_searches(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    make.patient(clinician.clinic, name="Ada Lovelace", patient_ref="RX-1")
    make.patient(clinician.clinic, name="Leo Tolstoy", patient_ref="RX-2")
    make.patient(make.clinic("Elsewhere"), name="Zed Other", patient_ref="RX-3")
    page = client.get("/clinic/").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Leo Tolstoy" in page and "Zed Other" not in page
    by_name = client.post_form("/clinic/", {"q": "tols"}).get_data(as_text=True)
    assert "Leo Tolstoy" in by_name and "Ada Lovelace" not in by_name
    assert 'value="tols"' in by_name
    by_ref = client.post_form("/clinic/", {"q": "rx-1"}).get_data(as_text=True)
    assert "Ada Lovelace" in by_ref and "Leo Tolstoy" not in by_ref
    other_clinic = client.post_form("/clinic/", {"q": "zed"}).get_data(as_text=True)
    assert "No patient matches that search." in other_clinic


def test_search_terms_stay_out_of_the_url(client, login_as):
    login_as(Role.CLINICIAN)
    page = client.get("/clinic/").get_data(as_text=True)
    assert '<form method="post" class="search-form" role="search">' in page
    ignored = client.get("/clinic/?q=secret-name").get_data(as_text=True)
    assert "secret-name" not in ignored


def test_patient_record_shows_details_courses_guardians_and_child_login(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(
        clinician.clinic, name="Ada Lovelace", date_of_birth=date(2015, 4, 12), subtype="banker"
    )
    make.course(patient, today() - timedelta(days=20), days=3, lots=("L1", "L2"))
    make.course(patient, today() + timedelta(days=22), status="planned")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    make.user(Role.CHILD, patients=[patient])
    page = html.unescape(client.get(f"/clinic/patients/{patient.id}").get_data(as_text=True))
    assert "12 Apr 2015" in page and "Banker" in page and "30 kg" in page
    assert "666.7 mg/kg/day" in page and "400 mg/kg/day" in page
    assert "lots L1, L2" in page
    assert page.index("Planned") < page.index("Given")  # newest first
    assert f'<span class="contact-name">{guardian.name}</span>' in page
    assert "Ada has their own login." in page


def test_clinician_corrects_a_patients_weight(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, patient_ref="RX-9", name="Ada Lovelace")
    form = client.get(f"/clinic/patients/{patient.id}/edit").get_data(as_text=True)
    assert 'value="RX-9"' in form and 'value="30.0"' in form
    data = patient_form(patient_ref="RX-9", weight_kg="33.2")
    response = client.post_form(f"/clinic/patients/{patient.id}/edit", data)
    assert response.status_code == 302
    db.session.refresh(patient)
    assert patient.weight_kg == 33.2


def test_editing_cannot_take_another_patients_reference(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    make.patient(clinician.clinic, patient_ref="RX-1")
    patient = make.patient(clinician.clinic, patient_ref="RX-2")
    page = client.post_form(
        f"/clinic/patients/{patient.id}/edit", patient_form(patient_ref="RX-1")
    ).get_data(as_text=True)
    assert "Another patient of this clinic has this reference." in page
    db.session.refresh(patient)
    assert patient.patient_ref == "RX-2"


def test_patient_text_is_escaped_everywhere(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="<script>alert(1)</script> Smith")
    for url in ("/clinic/", f"/clinic/patients/{patient.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Smith" in page


def test_sex_must_be_chosen_and_is_not_preselected(client, login_as):
    login_as(Role.CLINICIAN)
    form = client.get("/clinic/patients/new").get_data(as_text=True)
    select_sex = re.search(r'<select[^>]*id="sex".*?</select>', form, re.S).group(0)
    assert '<option value="">Choose…</option><option value="female">' in select_sex
    assert "selected" not in select_sex
    page = client.post_form("/clinic/patients/new", patient_form(sex=""))
    assert "Sex: Choose the child&#39;s sex." in page.get_data(as_text=True)
    assert patient_count() == 0
