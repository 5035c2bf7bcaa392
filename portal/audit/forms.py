"""The audit page's filters (a GET form: no CSRF, nothing changes)."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from portal.audit.events import ACTIONS, OUTCOMES
from portal.core.forms import PortalForm, options


class AuditFilterForm(PortalForm):
    class Meta:
        csrf = False

    patient = StringField(
        "Patient number or hospital reference",
        validators=[Optional(), Length(max=40)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    user = StringField(
        "Account (email or username)",
        validators=[Optional(), Length(max=254)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    action = SelectField(
        "What happened",
        choices=options([("", "Anything"), *ACTIONS.items()]),
        validators=[Optional()],
    )
    outcome = SelectField(
        "Outcome", choices=options([("", "Any"), *OUTCOMES.items()]), validators=[Optional()]
    )
    date_from = DateField("From (date)", validators=[Optional()])
    date_to = DateField("To (date)", validators=[Optional()])

    def check_dates(self) -> bool:
        if self.date_from.data and self.date_to.data and self.date_to.data < self.date_from.data:
            self.date_to.errors.append("The end date is before the start date.")
            return False
        return True
