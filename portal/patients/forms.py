"""Forms families fill in: redeeming a code, creating a child's login."""

from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.auth.forms import confirm_field, email_address, new_password_field
from portal.core.forms import PortalForm

CODE_FIELD_KW = {
    "autocomplete": "one-time-code",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "inputmode": "text",
}


def code_field() -> StringField:
    return StringField(
        "Enrolment code",
        validators=[DataRequired("Enter the code the clinic gave you."), Length(max=40)],
        description="12 letters and numbers, for example ABCD-EFGH-JKMN.",
        render_kw=CODE_FIELD_KW,
    )


def phone_field() -> StringField:
    return StringField(
        "Mobile phone number (optional)",
        validators=[
            Optional(),
            Length(max=30, message="Keep the number to 30 characters or fewer."),
        ],
        description="The clinic calls this number about your child's reports, e.g. after a "
        "fever. For a number abroad, start with + and the country code.",
        render_kw={"inputmode": "tel", "autocomplete": "tel", "type": "tel"},
    )


class RedeemNewAccountForm(PortalForm):
    """A first-time guardian: the code and a new account."""

    code = code_field()
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter your email address."),
            email_address(),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = phone_field()
    password = new_password_field("Password", login_field="email")
    confirm = confirm_field("Type the password again")
    submit = SubmitField("Create account")


class RedeemCodeForm(PortalForm):
    """A logged-in guardian adding another child."""

    code = code_field()
    submit = SubmitField("Add child")


class ChildAccountForm(PortalForm):
    """A guardian creates the login a child uses."""

    username = StringField(
        "Username for the child",
        validators=[
            DataRequired("Choose a username."),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,119}$",
                message="Use 3 or more letters or digits (dots, dashes and @ allowed).",
            ),
        ],
        description="Letters and digits the child can type, or their own email address.",
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = new_password_field("Password for the child", login_field="username")
    confirm = confirm_field("Type the password again")
    submit = SubmitField("Create the child's login")


class ContactForm(PortalForm):
    """A guardian's phone number, for the clinic."""

    phone = phone_field()
    submit = SubmitField("Save phone number")
