"""The date range of a clinic summary (a GET form: dates only, nothing changes)."""

from wtforms import DateField
from wtforms.validators import InputRequired

from portal.core.forms import PortalForm


class SummaryForm(PortalForm):
    class Meta:
        csrf = False

    start = DateField("From", validators=[InputRequired("Enter the first date of the summary.")])
    end = DateField("To", validators=[InputRequired("Enter the last date of the summary.")])
