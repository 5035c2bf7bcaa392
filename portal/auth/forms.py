"""Login and password forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from portal.services.passwords import MIN_PASSWORD_LENGTH


def email_address() -> Regexp:
    """A plain shape check; whether the address works is learnt by using it."""
    return Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s.]+$", message="Enter an email address like name@example.com."
    )


class LoginForm(FlaskForm):
    email = StringField(
        "Email or username",
        validators=[DataRequired("Enter your email or username."), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Log in")


def new_password_field(label: str = "New password") -> PasswordField:
    """A password field with the portal's length rule."""
    return PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=512,
                message=f"Use at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
        description=f"At least {MIN_PASSWORD_LENGTH} characters; a few words together work well.",
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field(label: str = "Type the new password again") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Change password")

    def validate_password(self, field: PasswordField) -> None:
        if field.data and field.data == self.current_password.data:
            raise ValidationError("Choose a password different from the current one.")


class EmptyForm(FlaskForm):
    """For POST-only actions (log out, revoke, acknowledge): CSRF still applies."""
