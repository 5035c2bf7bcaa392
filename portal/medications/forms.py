"""Forms for prednisolone doses, other agents and weights."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, FloatField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.core.forms import PortalForm
from portal.medications.models import DOSE_UNITS, Agent
from portal.medications.records import MedicationData

OTHER_AGENTS = {a.value: a.label for a in Agent if a is not Agent.PREDNISOLONE}
MAX_PREDNISOLONE_MG = 200


def _weight_field(label: str, required: bool) -> FloatField:
    first = InputRequired("Enter the weight in kg.") if required else Optional()
    return FloatField(
        label,
        validators=[first, NumberRange(1, 200, "Weight must be between 1 and 200 kg.")],
        invalid_value_message="Weight must be a number of kg, e.g. 31.5.",
        render_kw={"inputmode": "decimal", "step": "0.1", "min": "1", "max": "200"},
    )


class _Dated(PortalForm):
    def check_dates(self, today: date, born: date) -> bool:
        """No date in the future or before birth; a stop date not before the start."""
        ok = True
        for name in ("start_date", "stop_date", "measured_on"):
            field = getattr(self, name, None)
            day = field.data if field is not None else None
            problem = None
            if day and day > today:
                problem = "The date cannot be in the future."
            elif day and day < born:
                problem = "The date is before the date of birth."
            if problem:
                field.errors = [*field.errors, problem]
                ok = False
        return ok


class PrednisoloneForm(_Dated):
    start_date = DateField("Dose from (date)", validators=[InputRequired("Enter the date.")])
    dose = FloatField(
        "Prednisolone (mg/day)",
        validators=[
            InputRequired("Enter the dose in mg/day; 0 when stopped."),
            NumberRange(
                0, MAX_PREDNISOLONE_MG, f"The dose must be 0 to {MAX_PREDNISOLONE_MG} mg/day."
            ),
        ],
        invalid_value_message="The dose must be a number of mg/day, e.g. 7.5.",
        description="The daily dose from this date. Enter 0 when prednisolone is stopped.",
        render_kw={"inputmode": "decimal", "step": "0.5", "min": "0"},
    )
    weight_kg = _weight_field("Weight on that date (kg), if weighed", required=False)
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField("Save dose")

    def medication_data(self) -> MedicationData:
        """What was typed, as the medications domain takes it."""
        return MedicationData(
            agent=Agent.PREDNISOLONE.value,
            start_date=self.start_date.data,
            dose=self.dose.data,
            notes=self.notes.data or "",
        )


class AgentForm(_Dated):
    agent = SelectField("Medicine", choices=OTHER_AGENTS, validators=[InputRequired()])
    other_name = StringField(
        "Name of the medicine (when Other)", validators=[Optional(), Length(max=80)]
    )
    start_date = DateField("Started", validators=[InputRequired("Enter the start date.")])
    stop_date = DateField(
        "Stopped", validators=[Optional()], description="Leave empty while taken."
    )
    dose = FloatField(
        "Dose",
        validators=[Optional(), NumberRange(0, 100_000, "The dose must be 0 or more.")],
        invalid_value_message="The dose must be a number, e.g. 15.",
        render_kw={"inputmode": "decimal", "step": "any", "min": "0"},
    )
    dose_unit = SelectField("Dose unit", choices=DOSE_UNITS, validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField("Save medicine")

    def medication_data(self, agent: str) -> MedicationData:
        """What was typed about `agent`, as the medications domain takes it."""
        return MedicationData(
            agent=agent,
            start_date=self.start_date.data,
            dose=self.dose.data,
            dose_unit=self.dose_unit.data or "",
            stop_date=self.stop_date.data,
            other_name=self.other_name.data or "",
            notes=self.notes.data or "",
        )


class WeightForm(_Dated):
    measured_on = DateField("Date weighed", validators=[InputRequired("Enter the date.")])
    weight_kg = _weight_field("Weight (kg)", required=True)
    submit = SubmitField("Save weight")
