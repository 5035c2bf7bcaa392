"""Forms the clinic fills in about a patient."""

from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from portal.core.forms import PortalForm, options
from portal.patients.models import SEXES, SUBTYPES
from portal.patients.records import PatientData


class PatientForm(PortalForm):
    patient_ref = StringField(
        "Hospital reference",
        validators=[
            DataRequired("Enter the hospital reference."),
            Length(max=40),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9/._-]*$", message="Use letters, digits, / . _ or -."),
        ],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    name = StringField(
        "Child's full name", validators=[DataRequired("Enter the child's name."), Length(max=120)]
    )
    date_of_birth = DateField(
        "Date of birth", validators=[InputRequired("Enter the date of birth.")]
    )
    # No preselected sex: a default left unchanged would be recorded as fact.
    sex = SelectField(
        "Sex",
        choices=options([("", "Choose…"), *SEXES.items()]),
        validators=[DataRequired("Choose the child's sex.")],
    )
    onset_date = DateField("Date of disease onset", validators=[Optional()])
    subtype = SelectField("Subtype", choices=options(SUBTYPES.items()), validators=[Optional()])
    weight_kg = DecimalField(
        "Current weight (kg)",
        places=1,
        validators=[Optional(), NumberRange(1, 200, "Weight must be between 1 and 200 kg.")],
        render_kw={"inputmode": "decimal", "step": "0.1", "min": "1", "max": "200"},
    )
    submit = SubmitField("Save patient")

    def check_dates(self, today) -> bool:
        ok = True
        born, onset = self.date_of_birth.data, self.onset_date.data
        if born and born > today:
            self.date_of_birth.errors.append("The date of birth cannot be in the future.")
            ok = False
        if born and (today - born).days > 365 * 25:
            self.date_of_birth.errors.append("This portal is for children; check the year.")
            ok = False
        if onset and onset > today:
            self.onset_date.errors.append("The onset date cannot be in the future.")
            ok = False
        if onset and born and onset < born:
            self.onset_date.errors.append("The onset date cannot be before the date of birth.")
            ok = False
        return ok

    def patient_data(self) -> PatientData:
        """What was typed, as the patient records take it."""
        return PatientData(
            patient_ref=self.patient_ref.data,
            name=self.name.data,
            date_of_birth=self.date_of_birth.data,
            sex=self.sex.data,
            onset_date=self.onset_date.data,
            subtype=self.subtype.data or "",
            weight_kg=self.weight_kg.data,
        )


class SearchForm(PortalForm):
    """Sent by POST: names and hospital numbers must not land in URLs or access logs."""

    q = StringField("Find a patient by name or reference", validators=[Optional(), Length(max=80)])
