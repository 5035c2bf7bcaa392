"""The spreadsheet upload form."""

from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.core.forms import PortalForm
from portal.imports.importer import KINDS, MAX_FILE_BYTES

MAX_BYTES = MAX_FILE_BYTES
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
        "CSV file or Excel workbook",
        validators=[
            FileRequired("Choose a CSV file or an Excel workbook to import."),
            FileSize(MAX_BYTES, message="The file is larger than 5 MB; split it."),
        ],
        description=(
            "An Excel workbook (.xlsx, its first sheet) or a file saved as “CSV UTF-8”, "
            "with the header row shown below."
        ),
        render_kw={
            "accept": ".csv,text/csv,.xlsx,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    submit = SubmitField("Check and import")
