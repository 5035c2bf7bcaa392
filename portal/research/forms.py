"""The hub's forms: register a site, load a summary, choose two regimens to compare."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.core.forms import PortalForm

MAX_BYTES = 10 * 1024 * 1024


class SiteForm(PortalForm):
    code = StringField(
        "Site code",
        validators=[InputRequired("Enter the code the site writes its summaries under."),
                    Length(max=40, message="At most 40 characters.")],
        description="Lower-case letters, digits and hyphens, as the site's RESEARCH_SITE_CODE.",
    )  # fmt: skip
    name = StringField(
        "Name shown at the hub",
        validators=[Length(max=120, message="At most 120 characters.")],
    )
    public_key = TextAreaField(
        "Public key",
        validators=[InputRequired("Paste the site's public key.")],
        description="What `flask --app portal research public-key` prints at the site; "
        "check its fingerprint with the site by phone.",
        render_kw={"rows": 2, "spellcheck": "false", "autocomplete": "off"},
    )
    submit = SubmitField("Register the site")


class SummaryUploadForm(PortalForm):
    file = FileField(
        "Site summary file",
        validators=[
            FileRequired("Choose the summary file the site sent."),
            FileSize(MAX_BYTES, message="The file is larger than 10 MB."),
        ],
        description="The .json file written by `flask --app portal research summary`.",
        render_kw={"accept": ".json,application/json"},
    )
    submit = SubmitField("Check and load")


class HubChoiceForm(PortalForm):
    """Two regimens to compare (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    a = SelectField("First regimen", choices=[], validate_choice=False)
    b = SelectField("Second regimen", choices=[], validate_choice=False)
    submit = SubmitField("Compare")
