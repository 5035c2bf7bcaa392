"""The spreadsheet upload form."""

from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.core.forms import PortalForm
from portal.imports.importer import KINDS

MAX_BYTES = 5 * 1024 * 1024
KIND_LABELS = {
    "patients": "Patients",
    "courses": "Infusion courses",
    "assessments": "Formal assessments",
}


class ImportForm(PortalForm):
    kind = SelectField(
        "What the file holds",
        choices={kind: KIND_LABELS[kind] for kind in KINDS},
        validators=[InputRequired("Choose what the file holds.")],
    )
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file to import."),
            FileSize(MAX_BYTES, message="The file is larger than 5 MB; split it."),
        ],
        description="Saved from the spreadsheet as “CSV UTF-8”, with the header row shown below.",
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField("Check and import")
