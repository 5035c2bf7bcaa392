"""The course form the clinic fills in."""

import re
from datetime import date
from decimal import Decimal

from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.core.clock import years_from
from portal.core.forms import PortalForm, options
from portal.infusions.courses import CourseData
from portal.infusions.models import (
    INDICATIONS,
    MAX_COURSE_DAYS,
    CourseStatus,
    daily_dose_mg_per_kg,
)
from portal.main.filters import short_date

STATUS_CHOICES = {s.value: s.value.capitalize() for s in CourseStatus}
LOT_SPLIT = re.compile(r"[,;\n]+")
MIN_DAYS, MAX_DAYS = 1, MAX_COURSE_DAYS
# Decimal bounds: the field's data is a Decimal, and Decimal("0.1") < 0.1 (the float) is True.
MIN_DOSE, MAX_DOSE = Decimal("0.1"), Decimal("3")


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
            NumberRange(MIN_DAYS, MAX_DAYS, f"A course runs over {MIN_DAYS} to {MAX_DAYS} days."),
        ],
        render_kw={"inputmode": "numeric", "min": MIN_DAYS, "max": MAX_DAYS},
    )
    total_dose_g_per_kg = DecimalField(
        "Total dose (g/kg)",
        places=2,
        validators=[
            InputRequired("Enter the total dose in g/kg."),
            NumberRange(MIN_DOSE, MAX_DOSE, "The total dose must be between 0.1 and 3 g/kg."),
        ],
        description="For the whole course, e.g. 2. The daily mg/kg is worked out from it.",
        render_kw={"inputmode": "decimal", "step": "0.05", "min": "0.1", "max": "3"},
    )
    product = StringField("Product", validators=[Optional(), Length(max=80)])
    lots = TextAreaField(
        "Lot numbers",
        validators=[Optional(), Length(max=1000)],
        description="One per line, or separated by commas. A course can use several lots.",
        render_kw={"rows": 2, "autocapitalize": "characters", "spellcheck": "false"},
    )
    indication = SelectField(
        "Indication",
        choices=options([("", "Not recorded"), *INDICATIONS.items()]),
        validators=[Optional()],
    )
    status = SelectField(
        "Status", choices=options(STATUS_CHOICES.items()), validators=[DataRequired()]
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)], render_kw={"rows": 3})
    submit = SubmitField("Save course")

    def check_dates(self, today: date, max_years: int, stored_start: date | None = None) -> bool:
        """After validate(): the start within `max_years` of today, and nothing given in future.

        An edit that keeps the stored start date is not re-checked, so an old
        course can still be corrected.
        """
        start = self.start_date.data
        if start is None:
            return True
        ok = True
        earliest, latest = years_from(today, -max_years), years_from(today, max_years)
        if start != stored_start and not earliest <= start <= latest:
            self.start_date.errors.append(
                f"The start date must be within {max_years} years of today: "
                f"between {short_date(earliest)} and {short_date(latest)}."
            )
            ok = False
        if self.status.data == CourseStatus.GIVEN and start > today:
            self.status.errors.append(
                "A course starting after today cannot be given yet. Mark it planned."
            )
            ok = False
        return ok

    def daily_dose(self) -> float | None:
        """The daily mg/kg for what is typed now, when days and dose are both in range."""
        days, dose = self.days.data, self.total_dose_g_per_kg.data
        if not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
            return None
        if dose is None or not MIN_DOSE <= dose <= MAX_DOSE:
            return None
        return daily_dose_mg_per_kg(dose, days)

    def validate_lots(self, field: TextAreaField) -> None:
        for lot in parse_lots(field.data):
            if len(lot) > 40:
                raise ValidationError(f"Lot number “{lot[:12]}…” is longer than 40 characters.")

    def course_data(self) -> CourseData:
        """What was typed, as the course records take it."""
        return CourseData(
            start_date=self.start_date.data,
            days=self.days.data,
            total_dose_g_per_kg=self.total_dose_g_per_kg.data,
            product=self.product.data or "",
            lots=tuple(parse_lots(self.lots.data)),
            indication=self.indication.data or "",
            status=self.status.data,
            notes=self.notes.data or "",
        )
