"""Putting the family's zip together: the summary rendered as HTML and as a PDF, the CSV
files, the FHIR bundle and the JSON record (a view-side module: it renders templates)."""

from __future__ import annotations

import io
import zipfile

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.core.clock import today
from portal.core.database import now_utc
from portal.diary.models import GRADES, MOOD, RASH, STRENGTH, SYMPTOMS
from portal.fhir.patient_bundle import build_bundle, bundle_json, load_record
from portal.infusions.calendar import number_courses
from portal.patients.models import Patient
from portal.privacy.download import diary_by_course, record_csvs, summary_start
from portal.privacy.export import patient_record, record_json
from portal.summary.clinic_summary import clinic_summary


def family_zip(patient: Patient) -> bytes:
    """The zip's bytes."""
    now, day = now_utc(), today()
    record = load_record(patient)
    start = summary_start(record, day)
    html = render_template(
        "privacy/family_summary.html",
        record=record,
        start=start,
        end=day,
        made_on=day,
        numbers=number_courses(record.courses),
        charts=clinic_summary(patient, start, day).charts,
        diary=diary_by_course(record),
        entry_days={e.id: e.entry_date for e in record.entries},
        strength=STRENGTH, mood=MOOD, rash=RASH, symptoms=SYMPTOMS, grades=GRADES,
    )  # fmt: skip
    # Our own HTML alone: no file and no address is fetched while making the PDF.
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}, timeout=1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", html)
        archive.writestr("summary.pdf", pdf.write_pdf())
        for name, text in record_csvs(record).items():
            archive.writestr(f"records/{name}", text)
        archive.writestr("fhir-bundle.json", bundle_json(build_bundle(record, now, day)))
        archive.writestr("record.json", record_json(patient_record(patient, now)))
    return out.getvalue()
