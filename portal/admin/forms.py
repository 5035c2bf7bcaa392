"""Forms for clinics and staff accounts."""

from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.auth.forms import email_address, new_password_field
from portal.forms import PortalForm, options


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
