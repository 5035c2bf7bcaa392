"""The date range a chart shows."""

from datetime import date, timedelta

from wtforms import DateField, SubmitField
from wtforms.validators import Optional

from portal.core.forms import PortalForm

MAX_RANGE_DAYS = 731  # two years
# No diary or clinic record is older; stepping a range back from year 1 would overflow.
EARLIEST_DAY = date(1900, 1, 1)


class RangeForm(PortalForm):
    """From/to dates in the query string; empty means the default range."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
    submit = SubmitField("Show these dates")

    def dates(self, today: date, default_days: int) -> tuple[date, date]:
        """The chosen range, or the default one ending today, after checking it."""
        valid = self.validate() & self._within_calendar()
        end = (self.end.data if valid else None) or today
        start = (self.start.data if valid else None) or end - timedelta(days=default_days - 1)
        if start > end:
            self.start.errors = [*self.start.errors, "The start must be before the end."]
            return end - timedelta(days=default_days - 1), end
        if (end - start).days >= MAX_RANGE_DAYS:
            self.start.errors = [*self.start.errors, "Choose at most two years."]
            return end - timedelta(days=MAX_RANGE_DAYS - 1), end
        return start, end

    def _within_calendar(self) -> bool:
        """Dates before EARLIEST_DAY are refused at their field."""
        fine = True
        for field in (self.start, self.end):
            if field.data is not None and field.data < EARLIEST_DAY:
                field.errors = [*field.errors, f"Choose a date from {EARLIEST_DAY:%Y} on."]
                fine = False
        return fine
