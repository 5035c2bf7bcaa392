"""Recording, correcting and deleting formal assessments in the clinic."""

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make

MOTOR_ITEMS = {f"motor_item_{n:02d}": "2" for n in range(1, 21)}


def assessments_of(patient) -> list[Assessment]:
    return list(db.session.scalars(select(Assessment).where(Assessment.patient_id == patient.id)))


def clinician_with_patient(login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    return make.patient(clinic, date_of_birth=date(2015, 6, 1))


def test_form_has_a_labelled_field_for_every_measure(client, login_as):
    patient = clinician_with_patient(login_as)
    page = client.get(f"/clinic/patients/{patient.id}/assessments/new").get_data(as_text=True)
    for label in (
        "Neck flexors", "Knee extension, right", "Knee extension, left", "Shoulder abduction",
        "Hip flexion", "Hip abduction", "Motor ability score", "Walking time for 28 ft (s)",
        "CMAS", "MMT8", "CHAQ disability index", "Physician global activity",
        "Parent global activity", "CK (U/L)", "LDH (U/L)", "AST (U/L)", "ALT (U/L)",
        "Aldolase (U/L)", "Function 20",
    ):  # fmt: skip
        assert f">{label}</label>" in page, label
    assert "Mean myometry" not in page.split("<form")[1]  # derived, never typed


def test_a_subset_of_measures_is_saved_and_the_mean_myometry_derived(client, login_as):
    patient = clinician_with_patient(login_as)
    response = client.post_form(
        f"/clinic/patients/{patient.id}/assessments/new",
        {
            "assessed_on": "2024-03-01",
            "myometry_neck_flexors": "10",
            "myometry_knee_extension_right": "30",
            "myometry_knee_extension_left": "50",
            "cmas": "41",
            "ck": "850",
        },
    )
    assert response.status_code == 302
    (saved,) = assessments_of(patient)
    assert (saved.cmas, saved.ck, saved.mmt8) == (41, 850.0, None)
    assert saved.mean_myometry == 25.0  # neck 10 and knee (30 + 50) / 2
    listing = client.get(f"/clinic/patients/{patient.id}/assessments").get_data(as_text=True)
    assert 'data-label="Mean myometry score">25</td>' in listing


def test_out_of_range_values_are_refused_naming_the_field_and_keeping_the_input(client, login_as):
    patient = clinician_with_patient(login_as)
    page = client.post_form(
        f"/clinic/patients/{patient.id}/assessments/new",
        {"assessed_on": "2024-03-01", "cmas": "60", "chaq": "3.5", "myometry_hip_flexion": "22.5"},
    ).get_data(as_text=True)
    assert "CMAS must be between 0 and 52." in page
    assert "CHAQ disability index must be between 0 and 3." in page
    assert 'value="22.5"' in page and 'value="60"' in page
    assert assessments_of(patient) == []


def test_an_empty_assessment_is_refused(client, login_as):
    patient = clinician_with_patient(login_as)
    page = client.post_form(
        f"/clinic/patients/{patient.id}/assessments/new", {"assessed_on": "2024-03-01"}
    ).get_data(as_text=True)
    assert "Enter at least one measurement or a note for this date." in page


def test_future_dates_and_dates_before_birth_are_refused(client, login_as):
    patient = clinician_with_patient(login_as)
    url = f"/clinic/patients/{patient.id}/assessments/new"
    future = client.post_form(url, {"assessed_on": "2099-01-01", "cmas": "40"})
    assert "cannot be in the future" in future.get_data(as_text=True)
    unborn = client.post_form(url, {"assessed_on": "2014-01-01", "cmas": "40"})
    assert "before the date of birth" in unborn.get_data(as_text=True)
    assert assessments_of(patient) == []


def test_a_second_assessment_on_the_same_date_is_refused(client, login_as):
    patient = clinician_with_patient(login_as)
    make.assessment(patient, date(2024, 3, 1), cmas=40)
    page = client.post_form(
        f"/clinic/patients/{patient.id}/assessments/new",
        {"assessed_on": "2024-03-01", "mmt8": "70"},
    ).get_data(as_text=True)
    assert "An assessment on this date is already recorded" in page
    assert len(assessments_of(patient)) == 1


def test_twenty_scored_functions_give_the_motor_ability_total(client, login_as):
    patient = clinician_with_patient(login_as)
    items = {**MOTOR_ITEMS, "motor_item_03": "1", "motor_item_07": "0"}
    client.post_form(
        f"/clinic/patients/{patient.id}/assessments/new", {"assessed_on": "2024-03-01", **items}
    )
    (saved,) = assessments_of(patient)
    assert saved.motor_ability_score == 37
    assert len(saved.motor_ability_items) == 20


def test_functions_that_disagree_with_the_typed_total_or_are_incomplete_are_refused(
    client, login_as
):
    patient = clinician_with_patient(login_as)
    url = f"/clinic/patients/{patient.id}/assessments/new"
    wrong = client.post_form(
        url, {"assessed_on": "2024-03-01", "motor_ability_score": "12", **MOTOR_ITEMS}
    )
    assert "The 20 functions add up to 40" in wrong.get_data(as_text=True)
    partial = client.post_form(url, {"assessed_on": "2024-03-01", "motor_item_01": "2"})
    assert "Score all 20 functions, or none" in partial.get_data(as_text=True)
    assert assessments_of(patient) == []


def test_editing_corrects_values_and_shows_stored_function_scores(client, login_as):
    patient = clinician_with_patient(login_as)
    url = f"/clinic/patients/{patient.id}/assessments/new"
    client.post_form(url, {"assessed_on": "2024-03-01", **MOTOR_ITEMS, "cmas": "30"})
    (saved,) = assessments_of(patient)
    form = client.get(f"/clinic/assessments/{saved.id}/edit").get_data(as_text=True)
    assert '<option selected value="2">' in form
    client.post_form(
        f"/clinic/assessments/{saved.id}/edit",
        # A browser sends every field; clearing the total and the functions removes them.
        {
            "assessed_on": "2024-03-02",
            "cmas": "33",
            "motor_ability_score": "",
            "notes": "<b>tired</b>",
        },
    )
    db.session.refresh(saved)
    assert (saved.assessed_on, saved.cmas, saved.motor_ability_score) == (
        date(2024, 3, 2),
        33,
        None,
    )
    again = client.get(f"/clinic/assessments/{saved.id}/edit").get_data(as_text=True)
    assert "&lt;b&gt;tired&lt;/b&gt;" in again and "<b>tired</b>" not in again


def test_deleting_asks_first_then_removes_the_assessment(client, login_as):
    patient = clinician_with_patient(login_as)
    assessment = make.assessment(patient, date(2024, 3, 1), cmas=40)
    confirm = client.get(f"/clinic/assessments/{assessment.id}/delete")
    assert "cannot be undone" in confirm.get_data(as_text=True)
    assert len(assessments_of(patient)) == 1
    client.post_form(f"/clinic/assessments/{assessment.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_other_clinics_and_families_get_not_found(client, login_as):
    other = make.patient(make.clinic())
    assessment = make.assessment(other, date(2024, 3, 1), cmas=40)
    login_as(Role.CLINICIAN, clinic=make.clinic())
    assert client.get(f"/clinic/patients/{other.id}/assessments").status_code == 404
    assert client.get(f"/clinic/assessments/{assessment.id}/edit").status_code == 404
    assert client.post_form(f"/clinic/assessments/{assessment.id}/delete").status_code == 404
    client.post_form("/logout")
    login_as(Role.GUARDIAN, patients=[other])
    assert client.get(f"/clinic/patients/{other.id}/assessments/new").status_code == 404
    assert len(assessments_of(other)) == 1


def test_the_list_shows_date_mean_cmas_ck_and_edit_with_the_rest_behind_a_toggle(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    make.assessment(patient, today() - timedelta(days=3), myometry=20.0, cmas=40, ck=650.0,
                    ldh=310.0, chaq=0.375)  # fmt: skip
    page = client.get(f"/clinic/patients/{patient.id}/assessments").get_data(as_text=True)
    row = page[page.index('<tbody role="rowgroup">') :]
    assert 'data-label="CMAS">40</td>' in row and 'data-label="CK (U/L)">650</td>' in row
    assert ">Edit<" in row
    details = row[row.index('<details class="row-details">') : row.index("</details>")]
    assert "LDH" in details and "310 U/L" in details and "0.375" in details
    assert "Neck flexors" in details  # each myometry reading too
