"""/audit: clinicians see their clinic's patients' trail, administrators everything."""

from __future__ import annotations

from portal.auth.models import Role
from tests import factories as make
from tests.security.conftest import log_in


def _visit(app, user, path: str) -> None:
    client = log_in(app, user)
    assert client.get(path).status_code in (200, 404)


def test_a_clinician_sees_events_about_their_own_clinics_patients_only(app, client, login):
    mine = make.user(Role.CLINICIAN)
    theirs = make.user(Role.CLINICIAN)
    own_patient = make.patient(mine.clinic, name="Own Patient", patient_ref="OWN-1")
    other_patient = make.patient(theirs.clinic, name="Other Patient", patient_ref="OTHER-1")
    _visit(app, theirs, f"/clinic/patients/{other_patient.id}")
    _visit(app, theirs, f"/clinic/patients/{own_patient.id}")  # refused, but about my patient
    login(mine)
    page = client.get("/audit").get_data(as_text=True)
    assert "Own Patient" in page and "OWN-1" in page
    assert "Other Patient" not in page and f"Patient {other_patient.id}<" not in page
    assert theirs.email in page  # who tried to open my patient
    assert "Denied" in page


def test_an_administrator_sees_every_event_but_patients_only_by_number(app, client, login):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Quiet Child")
    _visit(app, clinician, f"/clinic/patients/{patient.id}")
    login(make.user(Role.ADMIN))
    page = client.get("/audit").get_data(as_text=True)
    assert f"Patient {patient.id}" in page
    assert "Quiet Child" not in page
    assert clinician.email in page


def test_the_audit_page_filters_by_patient_account_action_outcome_and_dates(app, client, login):
    clinician = make.user(Role.CLINICIAN)
    first = make.patient(clinician.clinic, name="First Child", patient_ref="F-1")
    second = make.patient(clinician.clinic, name="Second Child", patient_ref="S-2")
    _visit(app, clinician, f"/clinic/patients/{first.id}")
    _visit(app, clinician, f"/clinic/patients/{second.id}")
    login(clinician)
    by_ref = client.get("/audit?patient=s-2&action=read").get_data(as_text=True)
    assert "Second Child" in by_ref and "First Child" not in by_ref
    by_number = client.get(f"/audit?patient={first.id}&outcome=success&user={clinician.email}")
    assert "First Child" in by_number.get_data(as_text=True)
    assert "Second Child" not in by_number.get_data(as_text=True)
    future = client.get("/audit?date_from=2999-01-01").get_data(as_text=True)
    assert "No events match" in future


def test_bad_audit_filters_name_their_field_and_show_nothing(client, login_as):
    login_as(Role.CLINICIAN)
    page = client.get(
        "/audit?patient=NOPE&user=ghost@example.test&date_from=2025-02-01&date_to=2025-01-01"
    ).get_data(as_text=True)
    assert "Patient number or hospital reference: No patient of yours" in page
    assert "To (date): The end date is before the start date." in page
    assert "No events match" in page


def _events_part(page: str) -> str:
    """The page from its heading on, without the per-request CSRF token or times."""
    return page[page.index("<h1>") :]


def test_the_account_filter_never_says_whether_a_login_exists(app, client, login):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    guardian = make.user(Role.GUARDIAN, patients=[patient], email="real.parent@example.test")
    _visit(app, guardian, f"/family/{patient.id}")
    login(make.user(Role.ADMIN))
    existing = client.get(f"/audit?user={guardian.email}").get_data(as_text=True)
    missing = client.get("/audit?user=nobody.at.all@example.test").get_data(as_text=True)
    for page in (existing, missing):
        assert "No events match" in page
        assert "No account" not in page
    assert _events_part(existing).replace(guardian.email, "X") == _events_part(missing).replace(
        "nobody.at.all@example.test", "X"
    )
    by_number = client.get(f"/audit?user={guardian.id}").get_data(as_text=True)
    assert f"Guardian account {guardian.id}" in by_number  # by number: activity, no identity
    assert guardian.email not in by_number.replace(f'value="{guardian.id}"', "")


def test_an_administrator_finds_patients_by_number_only_and_sees_no_family_login(
    app, client, login
):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Quiet Child", patient_ref="HOSP-77")
    guardian = make.user(Role.GUARDIAN, patients=[patient], email="mum@example.test")
    child = make.user(Role.CHILD, patients=[patient], email="quietkid")
    for user in (guardian, child, clinician):
        _visit(app, user, f"/family/{patient.id}" if user.role != "clinician" else "/clinic/")
    login(make.user(Role.ADMIN))
    by_ref = client.get("/audit?patient=HOSP-77").get_data(as_text=True)
    unknown = client.get("/audit?patient=NO-SUCH-REF").get_data(as_text=True)
    message = "Type the patient&#39;s number (administrators see no references)."
    assert message in by_ref and message in unknown
    assert "No events match" in by_ref and "Quiet Child" not in by_ref
    assert "Patient number or hospital reference" not in by_ref and "Patient number" in by_ref
    everything = client.get("/audit").get_data(as_text=True)
    assert "mum@example.test" not in everything and "quietkid" not in everything
    assert f"Guardian account {guardian.id}" in everything
    assert f"Child account {child.id}" in everything
    assert clinician.email in everything  # staff are who administrators manage
    by_number = client.get(f"/audit?patient={patient.id}").get_data(as_text=True)
    assert f"Patient {patient.id}" in by_number and "HOSP-77" not in by_number


def test_a_clinician_sees_another_clinics_family_by_number_only(app, client, login):
    mine = make.user(Role.CLINICIAN)
    my_patient = make.patient(mine.clinic)
    other_family = make.user(Role.GUARDIAN, patients=[make.patient()], email="else@example.test")
    _visit(app, other_family, f"/family/{my_patient.id}")  # refused, recorded with my patient
    login(mine)
    page = client.get("/audit").get_data(as_text=True)
    assert f"Guardian account {other_family.id}" in page
    assert "else@example.test" not in page
