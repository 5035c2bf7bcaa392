"""Family pages: the child chooser, enrolment-code redemption and child logins."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth import throttle
from portal.auth.accounts import create_user, link_patient, normalise_login
from portal.auth.decorators import family_required, guardian_required
from portal.auth.login import start_session
from portal.auth.models import Role, User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.forms import save_form, show_field_errors
from portal.infusions import calendar
from portal.patients.contact import set_guardian_phone
from portal.patients.contact_views import phone_region
from portal.patients.enrolment import find_redeemable, redeem
from portal.patients.forms import ChildAccountForm, RedeemCodeForm, RedeemNewAccountForm
from portal.patients.permissions import (
    get_patient_or_404,
    list_visible_patients,
    visible_patients,
)

bp = Blueprint("patients", __name__)


@bp.get("/family")
@family_required
def family_home():
    """The family's children; with one child, straight to that child."""
    children = list_visible_patients(current_user)
    if len(children) == 1:
        return redirect(url_for("patients.child_home", patient_id=children[0].id))
    return render_template("patients/choose.html", children=children)


@bp.get("/family/<int:patient_id>")
@family_required
def child_home(patient_id: int):
    """One child's home: the next course and the way into the diary and calendar."""
    patient = get_patient_or_404(patient_id, current_user)
    siblings = db.session.scalars(visible_patients(current_user)).all()
    summary = calendar.family_summary(patient.courses, today())
    return render_template(
        "patients/home.html", patient=patient, siblings=siblings, summary=summary
    )


def _refused(form, error: FieldError, tries: throttle.Tries) -> None:
    """A code that cannot be redeemed is a failed try (it stays counted) and is audited;
    any other refusal (a login already in use) gives the try back and shows at its field."""
    db.session.rollback()
    if error.field == "code":
        audit("enrol", "failure", object_type="enrolment_codes")
    else:
        tries.succeeded()
    show_field_errors(form, error, fallback="code")


def _code_tries(account_key: str) -> throttle.Tries:
    """Count this try at a code before the code is looked at: per account and per address."""
    return throttle.take(throttle.address_budget(), throttle.account_budget(account_key))


@bp.route("/enrol", methods=["GET", "POST"])
@throttle.limit_form_posts
def enrol():
    """Redeem a code from the clinic: new guardians create an account here."""
    if current_user.is_authenticated:
        if current_user.role_enum is not Role.GUARDIAN:
            abort(404)
        return _redeem_for_current_user()
    form = RedeemNewAccountForm()
    if form.validate_on_submit():
        now = now_utc()
        tries = _code_tries(f"login:{normalise_login(form.email.data)}")
        try:
            record = find_redeemable(form.code.data, now)
            user = create_user(
                form.email.data,
                form.password.data,
                Role.GUARDIAN,
                display_name=form.display_name.data,
            )
            set_guardian_phone(user, form.phone.data, phone_region())
            patient = redeem(record, user, now)
        except FieldError as error:
            _refused(form, error, tries)
        else:
            tries.succeeded()
            start_session(user)
            db.session.commit()
            audit(
                "enrol", object_type="enrolment_codes", object_id=record.id, patient_id=patient.id
            )
            flash(f"Welcome. You are now linked to {patient.first_name}.", "success")
            return redirect(url_for("patients.child_home", patient_id=patient.id))
    return render_template("patients/enrol.html", form=form, new_account=True)


def _redeem_for_current_user():
    form = RedeemCodeForm()
    if form.validate_on_submit():
        now = now_utc()
        tries = _code_tries(f"user:{current_user.id}")
        try:
            record = find_redeemable(form.code.data, now)
            patient = redeem(record, current_user, now)
        except FieldError as error:
            _refused(form, error, tries)
        else:
            tries.succeeded()
            db.session.commit()
            audit(
                "enrol", object_type="enrolment_codes", object_id=record.id, patient_id=patient.id
            )
            flash(f"{patient.first_name} has been added to your account.", "success")
            return redirect(url_for("patients.child_home", patient_id=patient.id))
    return render_template("patients/enrol.html", form=form, new_account=False)


@bp.route("/family/<int:patient_id>/child-login", methods=["GET", "POST"])
@guardian_required
def child_login(patient_id: int):
    """A guardian creates (once) the login their child uses."""
    patient = get_patient_or_404(patient_id, current_user)
    existing = [account for account in patient.accounts if account.role == Role.CHILD.value]
    form = ChildAccountForm()

    def save() -> User:
        child = create_user(
            form.username.data,
            form.password.data,
            Role.CHILD,
            display_name=patient.first_name,
            created_by=current_user,
        )
        link_patient(child, patient)
        return child

    saved = None if existing else save_form(form, save, aliases={"email": "username"})
    if saved:
        flash(f"{patient.first_name} can now log in as “{saved.value.email}”.", "success")
        return redirect(url_for("patients.child_home", patient_id=patient.id))
    return render_template(
        "patients/child_login.html", form=form, patient=patient, existing=existing
    )
