"""The nine-case paper's spreadsheets (tests/fixtures/nine_cases), imported as a clinic would."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

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
