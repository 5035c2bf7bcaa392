"""Forms of the clinic review: replies and marking many entries reviewed."""

from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.core.forms import IdListField, PortalForm, options
from portal.review.models import REPLY_MAX_CHARS
from portal.review.patient_list import NEXT_COURSE_DAYS, PatientFilters


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
    entry_ids = IdListField("Reports to mark reviewed", "Tick reports shown on this page only.")
    # Every unreviewed report the page showed, for "mark all shown reviewed" (works without
    # JavaScript: the button sends them all).
    shown_ids = IdListField("Reports shown", "Mark reports shown on this page only.")
    scope = SelectField(
        "Which reports",
        choices=options([("ticked", "Ticked"), ("shown", "All shown")]),
        default="ticked",
    )
    submit = SubmitField("Mark ticked reports reviewed")

    def check_chosen(self) -> bool:
        """Ticked reports need at least one tick; 'all shown' needs reports on the page."""
        if self.scope.data == "shown":
            if not self.shown_ids.data:
                self.entry_ids.errors.append("No report on this page waits for review.")
                return False
            return True
        if not self.entry_ids.data:
            self.entry_ids.errors.append("Tick at least one report.")
            return False
        return True

    def chosen_ids(self) -> list[int]:
        return self.shown_ids.data if self.scope.data == "shown" else self.entry_ids.data


class DashboardSearchForm(PortalForm):
    q = StringField("Find a patient by name or reference", validators=[Optional(), Length(max=80)])


class DashboardFilterForm(PortalForm):
    """Filters of the patient list (a GET form: no names in it, nothing changes)."""

    class Meta:
        csrf = False

    unreviewed = BooleanField("Have home reports not yet reviewed")
    in_window = BooleanField("Are in an infusion or the 14 days after one")
    next_course = BooleanField(f"Have a course starting within {NEXT_COURSE_DAYS} days")
    quiet_days = IntegerField(
        "Have not logged for this many days",
        validators=[Optional(), NumberRange(1, 365, "Choose between 1 and 365 days.")],
        render_kw={"inputmode": "numeric", "min": "1", "max": "365"},
    )

    def filters(self) -> PatientFilters:
        """The filters asked for; a refused number of days is left out (and shown refused)."""
        quiet = None if self.quiet_days.errors else self.quiet_days.data
        return PatientFilters(
            unreviewed=bool(self.unreviewed.data),
            in_window=bool(self.in_window.data),
            next_course=bool(self.next_course.data),
            quiet_days=quiet,
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string values, for the pager's links."""
        chosen = self.filters()
        args = {name: "y" for name in ("unreviewed", "in_window", "next_course")
                if getattr(chosen, name)}  # fmt: skip
        if chosen.quiet_days:
            args["quiet_days"] = str(chosen.quiet_days)
        return args
