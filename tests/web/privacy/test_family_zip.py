"""The parent's download they can read: a zip of the summary (HTML and PDF), one CSV per
kind of record, the FHIR bundle and the JSON record; deleted records left out."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from tests.fhir_world import child_with_everything


def test_the_guardian_downloads_a_zip_they_can_read_and_it_is_audited(client, login):
    world = child_with_everything()
    login(world.guardian)
    page = client.get(f"/family/{world.patient.id}/data").get_data(as_text=True)
    assert f'href="/family/{world.patient.id}/download.zip"' in page
    response = client.get(f"/family/{world.patient.id}/download.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    assert {"summary.html", "summary.pdf", "fhir-bundle.json", "record.json"} <= names
    assert {"records/diary.csv", "records/courses.csv", "records/assessments.csv",
            "records/medicines.csv", "records/clinic-replies.csv"} <= names  # fmt: skip
    html = archive.read("summary.html").decode()
    assert "Maya Jane Okafor" in html and "Please call us today." in html
    assert "<svg" in html  # the charts, drawn on the server
    pdf = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("summary.pdf"))).pages
    )
    assert "Maya Jane Okafor" in pdf and "Please call us today." in pdf
    diary = list(csv.DictReader(io.StringIO(archive.read("records/diary.csv").decode())))
    assert len(diary) == 1  # one row per entry; the deleted entry is not there
    assert diary[0]["Temperature (°C)"] == "38.6"
    assert diary[0]["Headache (0-3)"] == "2"
    assert diary[0]["Note"] == "Sore at bedtime"
    courses = list(csv.DictReader(io.StringIO(archive.read("records/courses.csv").decode())))
    assert "GONE-LOT" not in {c["Lots"] for c in courses}
    assert json.loads(archive.read("fhir-bundle.json"))["type"] == "collection"
    for name in ("summary.html", "record.json", "fhir-bundle.json", "records/diary.csv"):
        assert b"Deleted-note-8812" not in archive.read(name)
        assert b"GONE-LOT" not in archive.read(name)
    assert "Deleted-note-8812" not in pdf
    exports = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.patient_id == world.patient.id
        )
    ).all()
    assert [(e.user_id, e.fields) for e in exports] == [(world.guardian.id, "zip")]


def test_another_family_and_the_clinic_get_a_404(client, login):
    world = child_with_everything()
    for user in (world.other_guardian, world.clinician):
        login(user)
        assert client.get(f"/family/{world.patient.id}/download.zip").status_code == 404
        client.post_form("/logout")
