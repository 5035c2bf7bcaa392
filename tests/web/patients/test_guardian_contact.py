"""Guardians give a phone number at enrolment or on their contact page; the child's clinic
sees it with their email as tel:/mailto: links on the record and the triage card, audited."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.core.clock import today
from portal.core.extensions import db
from portal.patients.models import EnrolmentCode
from tests import factories as make
from tests.web.patients.test_enrolment import new_guardian


def contact_reads(patient_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "guardian_contacts",
                AuditEvent.patient_id == patient_id,
            )
        )
    )


def test_a_new_guardian_gives_a_phone_number_when_redeeming_the_code(client):
    patient = make.patient()
    issued = make.code(patient)
    response = client.post_form("/enrol", new_guardian(issued.code, phone="07911 123456"))
    assert response.status_code == 302
    guardian = db.session.scalar(select(User).where(User.email == "mum@example.test"))
    assert guardian.phone == "+447911123456"


def test_a_wrong_number_at_enrolment_is_named_keeps_the_rest_and_uses_no_code(client):
    patient = make.patient()
    issued = make.code(patient)
    page = client.post_form("/enrol", new_guardian(issued.code, phone="07911 12")).get_data(
        as_text=True
    )
    assert "That is not a phone number in use" in page
    assert 'value="Grace Example"' in page and 'value="07911 12"' in page
    assert db.session.scalar(select(User).where(User.email == "mum@example.test")) is None
    assert db.session.get(EnrolmentCode, issued.record.id).used_at is None


def test_a_guardian_adds_changes_and_removes_their_number_on_the_contact_page(client, login):
    guardian = make.user(Role.GUARDIAN, patients=[make.patient(name="Maya Okafor")])
    login(guardian)
    page = client.get("/family/contact").get_data(as_text=True)
    assert guardian.email in page and "Maya" in page
    assert client.post_form("/family/contact", {"phone": "+33 6 12 34 56 78"}).status_code == 302
    db.session.refresh(guardian)
    assert guardian.phone == "+33612345678"
    refused = client.post_form("/family/contact", {"phone": "not a number"})
    assert "Enter a phone number" in refused.get_data(as_text=True)
    db.session.refresh(guardian)
    assert guardian.phone == "+33612345678"
    client.post_form("/family/contact", {"phone": ""})
    db.session.refresh(guardian)
    assert guardian.phone == ""


def test_the_clinic_sees_guardians_numbers_and_emails_as_links_and_the_read_is_audited(
    client, login
):
    patient = make.patient(name="Maya Okafor")
    mother = make.user(Role.GUARDIAN, patients=[patient], email="grace@example.test")
    mother.phone = "+447911123456"
    make.user(Role.GUARDIAN, patients=[patient], email="tunde@example.test")
    db.session.commit()
    login(make.user(Role.CLINICIAN, clinic=patient.clinic))
    page = client.get(f"/clinic/patients/{patient.id}").get_data(as_text=True)
    assert 'href="tel:+447911123456">07911 123456' in page
    assert 'href="mailto:grace@example.test"' in page
    assert 'href="mailto:tunde@example.test"' in page and "no phone given" in page
    reads = contact_reads(patient.id)
    assert len(reads) == 1 and reads[0].action == "read"
    assert "7911" not in reads[0].fields and "grace" not in reads[0].fields


def test_the_triage_card_carries_the_familys_numbers(client, login):
    patient = make.patient(name="Maya Okafor")
    mother = make.user(Role.GUARDIAN, patients=[patient])
    mother.phone = "+447911123456"
    db.session.commit()
    make.entry(patient, mother, today(), temperature_c=38.9)
    other_clinic_patient = make.patient(name="Elsewhere Child")
    make.entry(other_clinic_patient, day=today(), temperature_c=38.9)
    login(make.user(Role.CLINICIAN, clinic=patient.clinic))
    page = client.get("/clinic/triage").get_data(as_text=True)
    card = page[page.index('class="card triage-card') :]
    assert 'href="tel:+447911123456"' in card
    assert f'href="mailto:{mother.email}"' in card
    assert len(contact_reads(patient.id)) == 1
    assert contact_reads(other_clinic_patient.id) == []


def test_another_clinics_clinician_never_sees_the_number(client, login):
    patient = make.patient()
    mother = make.user(Role.GUARDIAN, patients=[patient])
    mother.phone = "+447911123456"
    db.session.commit()
    login(make.user(Role.CLINICIAN))
    assert client.get(f"/clinic/patients/{patient.id}").status_code == 404
    for url in ("/clinic/triage", "/clinic/dashboard"):
        assert "7911" not in client.get(url).get_data(as_text=True)


def test_the_dashboards_triage_list_carries_the_familys_numbers(client, login):
    patient = make.patient(name="Maya Okafor")
    mother = make.user(Role.GUARDIAN, patients=[patient])
    mother.phone = "+447911123456"
    db.session.commit()
    make.entry(patient, mother, today(), temperature_c=38.9)
    quiet = make.patient(patient.clinic, name="Quiet Child")
    calm_parent = make.user(Role.GUARDIAN, patients=[quiet])
    calm_parent.phone = "+447911654321"
    db.session.commit()
    login(make.user(Role.CLINICIAN, clinic=patient.clinic))
    page = client.get("/clinic/dashboard").get_data(as_text=True)
    triage = page[page.index('id="triage-heading"') : page.index('id="find-heading"')]
    assert 'href="tel:+447911123456">07911 123456' in triage
    assert f'href="mailto:{mother.email}"' in triage
    assert "7911654321" not in page  # no alert: the list of patients shows no numbers
    assert len(contact_reads(patient.id)) == 1 and contact_reads(quiet.id) == []


def test_the_contact_page_shows_the_number_as_the_guardian_would_write_it(client, login):
    guardian = make.user(Role.GUARDIAN, patients=[make.patient()])
    guardian.phone = "+447911123456"
    db.session.commit()
    login(guardian)
    page = client.get("/family/contact").get_data(as_text=True)
    assert 'value="07911 123456"' in page and "+447911123456" not in page
