"""Login and password forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from portal.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from portal.core.forms import PortalForm


def email_address() -> Regexp:
    """A plain shape check; whether the address works is learnt by using it."""
    return Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s.]+$", message="Enter an email address like name@example.com."
    )


class LoginForm(PortalForm):
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


class StrongPassword:
    """A new password must be long enough, not common, and not contain the login name."""

    def __init__(self, login_field: str | None = None) -> None:
        self.login_field = login_field

    def __call__(self, form: FlaskForm, field: Field) -> None:
        login = ""
        if self.login_field and self.login_field in form:
            login = form[self.login_field].data or ""
        problem = password_problem(field.data or "", login)
        if problem:
            raise ValidationError(problem)


def new_password_field(label: str = "New password", login_field: str | None = None):
    """A password field with the portal's rules: length, not common, not the login name."""
    return PasswordField(
        label,
        validators=[DataRequired("Choose a password."), StrongPassword(login_field)],
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters; a few unrelated words together "
            "work well. Very common passwords are refused."
        ),
        render_kw={"autocomplete": "new-password", "maxlength": MAX_PASSWORD_LENGTH},
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


def current_password_field(label: str = "Current password") -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired("Enter your current password."), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(PortalForm):
    current_password = current_password_field()
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Change password")

    def validate_password(self, field: PasswordField) -> None:
        if field.data and field.data == self.current_password.data:
            raise ValidationError("Choose a password different from the current one.")


def totp_code_field(label: str = "6-digit code from your app") -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired("Enter the 6-digit code."),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="Enter the 6 digits your app shows."),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
            "maxlength": 7,
        },
    )


class LoginCodeForm(PortalForm):
    """The second step of a staff login: a code from the app, or else one recovery code."""

    code = StringField(
        "6-digit code from your app",
        validators=[
            Optional(),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="Enter the 6 digits your app shows."),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
            "maxlength": 7,
        },
    )
    recovery_code = StringField(
        "Recovery code",
        validators=[
            Optional(),
            Regexp(
                r"^\s*[A-Za-z0-9]{4}([-\s]?[A-Za-z0-9]{4}){3}\s*$",
                message="Enter one of your recovery codes, like ABCD-EFGH-JKMN-PQRS.",
            ),
        ],
        description="One of the ten codes you saved when you set up the app. Each works once.",
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "maxlength": 24},
    )  # fmt: skip
    submit = SubmitField("Continue")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.typed_code():
            self.code.errors = [*self.code.errors, "Enter the 6-digit code."]
            return False
        return valid

    def typed_code(self) -> str:
        """The app's code if one was typed, else the recovery code."""
        return (self.code.data or "").strip() or (self.recovery_code.data or "").strip()


class TwoFactorSetupForm(PortalForm):
    """Proving the authenticator app shows the right code before turning the factor on."""

    code = totp_code_field("6-digit code your app shows now")
    submit = SubmitField("Turn on")


class CloseAccountForm(PortalForm):
    """A guardian closes their account; the password proves it is them."""

    understood = BooleanField(
        "I understand what closing my account means",
        validators=[DataRequired("Tick the box to confirm you want to close the account.")],
    )
    password = current_password_field("Your password")
    submit = SubmitField("Close my account")


class EmptyForm(PortalForm):
    """For POST-only actions (log out, revoke, acknowledge): CSRF still applies."""


class ForgotPasswordForm(PortalForm):
    email = StringField(
        "Email address",
        validators=[DataRequired("Enter the email address you log in with."), Length(max=254)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    submit = SubmitField("Send me a link")


class ResetPasswordForm(PortalForm):
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Set new password")
