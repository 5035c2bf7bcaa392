"""Forms for clinics and staff accounts."""

from wtforms import DecimalField, EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.auth.forms import email_address, new_password_field
from portal.core.forms import PortalForm, options


class ClinicForm(PortalForm):
    name = StringField("Clinic name", validators=[DataRequired("Enter a name."), Length(max=120)])
    phone = StringField(
        "Phone number families should call",
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^[0-9 +()-]+$", message="Use digits, spaces, +, ( ) and - only."),
        ],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    # The diary's alert thresholds (docs/clinical-rules.md, "Alerts"): the clinic's own settings.
    fever_threshold_c = DecimalField(
        "Alert from a temperature of (°C)",
        places=1,
        default=38.0,
        validators=[
            Optional(),
            NumberRange(37.5, 38.5, "Choose between 37.5 and 38.5 °C."),
        ],
        render_kw={"inputmode": "decimal", "step": "0.1", "min": "37.5", "max": "38.5"},
    )
    headache_alert_days = IntegerField(
        "Alert on a severe headache up to this many days after a course",
        default=7,
        validators=[
            Optional(),
            NumberRange(1, 14, "Choose between 1 and 14 days."),
        ],
        render_kw={"inputmode": "numeric", "min": "1", "max": "14"},
    )
    # Headache with fever after an infusion, or with a stiff neck: the aseptic meningitis picture.
    meningism_window_hours = IntegerField(
        "Alert on a headache with fever up to this many hours after an infusion day",
        default=72,
        description="72 hours is when aseptic meningitis after IVIG usually shows.",
        validators=[
            Optional(),
            NumberRange(24, 168, "Choose between 24 and 168 hours."),
        ],
        render_kw={"inputmode": "numeric", "min": "24", "max": "168", "step": "24"},
    )
    meningism_headache_grade = SelectField(
        "Least headache that counts with fever or a stiff neck",
        coerce=int,
        default=1,
        choices=options([(1, "Mild or worse"), (2, "Moderate or worse"), (3, "Severe only")]),
    )
    submit = SubmitField("Save clinic")


class StaffForm(PortalForm):
    display_name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter an email address."),
            email_address(),
            Length(max=254),
        ],
    )
    role = SelectField(
        "Role", choices=options([("clinician", "Clinician"), ("admin", "Administrator")])
    )
    clinic_id = SelectField("Clinic", coerce=int, validators=[Optional()])
    password = new_password_field("Initial password", login_field="email")
    submit = SubmitField("Create account")


class StaffEditForm(PortalForm):
    """An administrator changes a staff member's name, role or clinic."""

    display_name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
    role = SelectField(
        "Role", choices=options([("clinician", "Clinician"), ("admin", "Administrator")])
    )
    clinic_id = SelectField(
        "Clinic",
        coerce=int,
        validators=[Optional()],
        description="A clinician sees only this clinic's patients, from their next page on.",
    )
    submit = SubmitField("Save changes")
