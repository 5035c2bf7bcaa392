"""The course form the clinic fills in."""

import re
from datetime import date

from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import PortalForm, options
from portal.infusions.models import INDICATIONS, CourseStatus

STATUS_CHOICES = [(s.value, s.value.capitalize()) for s in CourseStatus]
LOT_SPLIT = re.compile(r"[,;\n]+")


def parse_lots(text: str | None) -> list[str]:
    """Lot numbers typed one per line or separated by commas or semicolons."""
    seen: list[str] = []
    for part in LOT_SPLIT.split(text or ""):
        lot = part.strip()
        if lot and lot not in seen:
            seen.append(lot)
    return seen


class CourseForm(PortalForm):
    start_date = DateField("Start date", validators=[InputRequired("Enter the start date.")])
    days = IntegerField(
        "Number of days",
        validators=[
            InputRequired("Enter the number of days."),
            NumberRange(1, 5, "A course runs over 1 to 5 days."),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": 5},
    )
    total_dose_g_per_kg = DecimalField(
        "Total dose (g/kg)",
        places=2,
        validators=[
            InputRequired("Enter the total dose in g/kg."),
            NumberRange(0.1, 3, "The total dose must be between 0.1 and 3 g/kg."),
        ],
        description="For the whole course, e.g. 2. The daily mg/kg is worked out from it.",
        render_kw={"inputmode": "decimal", "step": "0.05", "min": "0.1", "max": "3"},
    )
    product = StringField("Product", validators=[Optional(), Length(max=80)])
    lots = TextAreaField(
        "Lot numbers",
        validators=[Optional(), Length(max=1000)],
        description="One per line, or separated by commas.",
        render_kw={"rows": 2},
    )
    indication = SelectField(
        "Indication",
        choices=options([("", "Not recorded"), *INDICATIONS.items()]),
        validators=[Optional()],
    )
    status = SelectField("Status", choices=options(STATUS_CHOICES), validators=[DataRequired()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)], render_kw={"rows": 3})
    submit = SubmitField("Save course")

    def check_start_date(self, today: date, max_years: int) -> bool:
        """Refuse a start date more than `max_years` away from today."""
        start = self.start_date.data
        if start is None:
            return True
        if abs((start - today).days) > 365 * max_years + max_years // 4:
            self.start_date.errors.append(
                f"The start date must be within {max_years} years of today."
            )
            return False
        return True

    def validate_lots(self, field: TextAreaField) -> None:
        for lot in parse_lots(field.data):
            if len(lot) > 40:
                field.errors.append(f"Lot number “{lot[:12]}…” is longer than 40 characters.")
