"""The nine-case paper's spreadsheets (tests/fixtures/nine_cases), imported as a clinic would."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from portal.core.extensions import db
from portal.patients.models import Patient
from tests import factories as make

NINE_CASES = Path(__file__).resolve().parent / "fixtures" / "nine_cases"


def upload(client, kind: str, data: bytes, name: str = "sheet.csv"):
    """Post one file to the import page, as a clinician's browser does."""
    return client.post_form(
        "/clinic/import",
        {"kind": kind, "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,  # an accepted file is reported on the page it returns to
    )


def import_nine_cases(client) -> None:
    """Patients, courses and assessments of the paper, through the import page."""
    for kind in ("patients", "courses", "assessments"):
        response = upload(client, kind, (NINE_CASES / f"{kind}.csv").read_bytes(), f"{kind}.csv")
        assert "Imported" in response.get_data(as_text=True)


def add_side_effect_diaries() -> int:
    """The diary entries of side_effects.csv (built from the paper's text); how many."""
    rows = list(csv.DictReader(io.StringIO((NINE_CASES / "side_effects.csv").read_text())))
    refs = {row["patient_ref"] for row in rows}
    patients = {
        p.patient_ref: p
        for p in db.session.scalars(select(Patient).where(Patient.patient_ref.in_(refs)))
    }
    for row in rows:
        start = date.fromisoformat(row["course_start"])
        make.diary_row(
            patients[row["patient_ref"]],
            start + timedelta(days=int(row["days_after_start"])),
            headache=int(row["headache"]),
            nausea=int(row["nausea"]),
            diarrhoea=int(row["diarrhoea"]),
            temperature_c=float(row["temperature_c"]) if row["temperature_c"] else None,
        )
    return len(rows)
