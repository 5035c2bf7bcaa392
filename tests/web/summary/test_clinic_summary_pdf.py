"""The clinic summary PDF: made on the server, read back with pypdf, naming only its patient."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.review import actions
from tests import factories as make


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def patient_with_a_year():
    """Maya: two given courses (the first paired), a fever with headache after the second,
    a reply, a prednisolone taper; and another child of the same clinic with records too."""
    clinic = make.clinic("Riverside Children's")
    maya = make.patient(clinic, name="Maya Okafor", patient_ref="RX-4471")
    first = make.course(maya, today() - timedelta(days=70), days=5, lots=("P100234", "P100871"))
    second = make.course(maya, today() - timedelta(days=20), days=3, dose=2.0, lots=("Q7",))
    make.course(maya, today() + timedelta(days=20), status="planned")
    make.assessment(maya, first.start_date - timedelta(days=2), myometry=30.0, cmas=34)
    make.assessment(maya, first.end_date + timedelta(days=9), myometry=33.5, cmas=38)
    guardian = make.user(Role.GUARDIAN, patients=[maya])
    make.entry(maya, guardian, second.end_date + timedelta(days=1), temperature_c=38.4,
               headache=2, nausea=1)  # fmt: skip
    entry = make.entry(maya, guardian, first.end_date + timedelta(days=2), strength=1)
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    actions.reply_to_entry(entry, clinician, "Good to hear she is stronger.", now_utc())
    db.session.commit()
    make.prednisolone(maya, today() - timedelta(days=100), 20)
    make.prednisolone(maya, today() - timedelta(days=40), 15)
    other = make.patient(clinic, name="Ezra Quill", patient_ref="RX-9999")
    make.course(other, today() - timedelta(days=30), lots=("ZZ-OTHER-LOT",))
    make.entry(other, day=today() - timedelta(days=3), temperature_c=39.5, note="Ezra note")
    return maya, clinician, other


def summary_url(patient, days: int = 120) -> str:
    start = (today() - timedelta(days=days)).isoformat()
    return f"/clinic/patients/{patient.id}/summary.pdf?start={start}&end={today().isoformat()}"


def test_the_pdf_holds_courses_pairs_symptoms_alerts_replies_and_prednisolone(client, login):
    maya, clinician, _ = patient_with_a_year()
    login(clinician)
    text = pdf_text(client.get(summary_url(maya)))
    assert "Clinic summary: Maya Okafor" in text and "RX-4471" in text
    assert "2 g/kg over 5 days" in text and "400 mg/kg/day" in text
    assert "P100234, P100871" in text and "Q7" in text
    assert "2 g/kg over 3 days" in text and "666.7 mg/kg/day" in text
    # Course 1 paired: mean myometry 30 → 33.5 and CMAS 34 → 38, both improved.
    assert re.search(r"Mean myometry score 30 33\.5 \+3\.5 Yes", text), text
    assert re.search(r"CMAS[^0-9]*34 38 \+4 Yes", text)
    # After course 2 the family reported a moderate headache, mild nausea and a fever.
    assert "Headache (moderate); Nausea (mild); Fever (38.0 °C or more)" in text
    assert "Headache (moderate) with a temperature of 38.4 °C, soon after an infusion" in text
    assert "Urgent" in text
    assert "Good to hear she is stronger." in text
    assert "20 mg/day" in text and "15 mg/day" in text
    assert "Mean myometry at each assessment" in text and "Prednisolone" in text


def test_the_pdf_names_only_its_own_patient(client, login):
    maya, clinician, other = patient_with_a_year()
    login(clinician)
    text = pdf_text(client.get(summary_url(maya)))
    for theirs in ("Ezra", "Quill", other.patient_ref, "ZZ-OTHER-LOT", "Ezra note", "39.5"):
        assert theirs not in text
    name = re.search(r'filename="([^"]+)"', client.get(summary_url(maya)).headers[
        "Content-Disposition"]).group(1)  # fmt: skip
    assert "Maya" not in name and "RX-4471" not in name


def test_making_the_pdf_is_audited_as_an_export_of_that_patient(client, login):
    maya, clinician, _ = patient_with_a_year()
    login(clinician)
    client.get(summary_url(maya))
    exports = list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "export", AuditEvent.patient_id == maya.id
            )
        )
    )
    assert len(exports) == 1 and exports[0].fields == "clinic_summary_pdf"


def test_a_date_range_keeps_what_falls_outside_it_out(client, login):
    maya, clinician, _ = patient_with_a_year()
    login(clinician)
    text = pdf_text(client.get(summary_url(maya, days=30)))
    assert "Q7" in text and "P100234" not in text  # course 1 started 70 days ago
    assert "Good to hear" not in text


def test_bad_dates_are_named_at_their_field_and_make_no_pdf(client, login):
    maya, clinician, _ = patient_with_a_year()
    login(clinician)
    url = f"/clinic/patients/{maya.id}/summary.pdf"
    backwards = client.get(f"{url}?start={today().isoformat()}&end=2020-01-01")
    assert backwards.status_code == 400 and "The last date is before the first." in backwards.text
    future = (today() + timedelta(days=3)).isoformat()
    ahead = client.get(f"{url}?start={today().isoformat()}&end={future}")
    assert "The last date cannot be after today." in ahead.text
    assert "Enter the first date" in client.get(url).text
    assert "Not a valid date value" in client.get(f"{url}?start=31/02&end=x").text


def test_another_clinic_gets_a_404_and_the_choose_page_offers_six_months(client, login):
    maya, _, _ = patient_with_a_year()
    login(make.user(Role.CLINICIAN))
    assert client.get(summary_url(maya)).status_code == 404
    assert client.get(f"/clinic/patients/{maya.id}/summary").status_code == 404
    client.post_form("/logout")
    login(make.user(Role.CLINICIAN, clinic=maya.clinic))
    page = client.get(f"/clinic/patients/{maya.id}/summary").get_data(as_text=True)
    assert f'value="{today().isoformat()}"' in page
    assert f'value="{(today() - timedelta(days=183)).isoformat()}"' in page
