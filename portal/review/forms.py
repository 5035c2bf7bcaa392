"""Forms of the clinic review: replies and marking many entries reviewed."""

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import IdListField, PortalForm
from portal.review.models import REPLY_MAX_CHARS


class ReplyForm(PortalForm):
    text = TextAreaField(
        "Message to the family",
        validators=[
            DataRequired("Write a message before sending."),
            Length(
                max=REPLY_MAX_CHARS,
                message=f"Keep the message to {REPLY_MAX_CHARS} characters or fewer.",
            ),
        ],
        description=f"Up to {REPLY_MAX_CHARS} characters. The family sees it on this entry.",
        render_kw={"maxlength": REPLY_MAX_CHARS, "rows": 3},
    )
    submit = SubmitField("Send reply")


class MarkReviewedForm(PortalForm):
    # Choices are the entries on the page; ids of other patients' entries are ignored later.
    entry_ids = IdListField(
        "Reports to mark reviewed",
        "Tick reports shown on this page only.",
        validators=[DataRequired("Tick at least one report.")],
    )
    submit = SubmitField("Mark ticked reports reviewed")


class DashboardSearchForm(PortalForm):
    q = StringField("Find a patient by name or reference", validators=[Optional(), Length(max=80)])
