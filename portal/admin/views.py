"""Administrators create clinics and staff accounts; they do not read diaries."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.admin.forms import ClinicForm, StaffEditForm, StaffForm
from portal.admin.staff import StaffChanges, update_staff
from portal.audit.trail import audit
from portal.auth import second_factor
from portal.auth.accounts import create_user, set_active
from portal.auth.decorators import admin_required
from portal.auth.forms import EmptyForm
from portal.auth.models import Role, User
from portal.auth.throttle import limit_requests
from portal.clinic.clinics import clinic_name_taken, save_clinic
from portal.clinic.models import Clinic
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import options, save_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@admin_required
def index():
    """Clinics and staff accounts at a glance."""
    clinics = db.session.scalars(select(Clinic).order_by(Clinic.name)).all()
    staff = db.session.scalars(
        select(User).where(User.role.in_(["clinician", "admin"])).order_by(User.email)
    ).all()
    return render_template(
        "admin/index.html", clinics=clinics, staff=staff, action_form=EmptyForm()
    )


@bp.route("/clinics/new", methods=["GET", "POST"])
@bp.route("/clinics/<int:clinic_id>/edit", methods=["GET", "POST"])
@admin_required
def clinic_form(clinic_id: int | None = None):
    """Create or rename a clinic; set its phone number and diary alert thresholds."""
    clinic = db.session.get(Clinic, clinic_id) if clinic_id else None
    if clinic_id and clinic is None:
        abort(404)
    form = ClinicForm(obj=clinic)

    def name_free() -> bool:
        name = (form.name.data or "").strip()
        # Said even when other fields are wrong; a refused name (NUL…) is never queried.
        if name and not form.name.errors and clinic_name_taken(name, clinic):
            form.name.errors.append("A clinic with this name exists.")
            return False
        return True

    def save() -> Clinic:
        return save_clinic(
            clinic,
            (form.name.data or "").strip(),
            form.phone.data or "",
            fever_threshold_c=_float_or_none(form.fever_threshold_c.data),
            headache_alert_days=form.headache_alert_days.data,
            meningism_window_hours=form.meningism_window_hours.data,
            meningism_headache_grade=form.meningism_headache_grade.data,
        )

    saved = save_form(form, save, check=name_free)
    if saved:
        action = "create" if clinic_id is None else "update"
        audit(action, object_type="clinics", object_id=saved.value.id)
        flash(f"Clinic “{saved.value.name}” saved.", "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/clinic_form.html", form=form, clinic=clinic)


def _float_or_none(value) -> float | None:
    return None if value is None else float(value)


def _clinic_choices(form) -> None:
    clinics = db.session.scalars(select(Clinic).order_by(Clinic.name)).all()
    form.clinic_id.choices = options(
        [(0, "None (administrators only)")] + [(c.id, c.name) for c in clinics]
    )


@bp.route("/staff/new", methods=["GET", "POST"])
@admin_required
def new_staff():
    """Create a clinician or administrator account."""
    form = StaffForm()
    _clinic_choices(form)

    def save() -> User:
        clinic = db.session.get(Clinic, form.clinic_id.data) if form.clinic_id.data else None
        return create_user(
            form.email.data,
            form.password.data,
            Role(form.role.data),
            clinic=clinic,
            display_name=form.display_name.data,
            created_by=current_user,
        )

    saved = save_form(form, save, aliases={"clinic": "clinic_id"})
    if saved:
        user = saved.value
        audit("create", object_type="users", object_id=user.id, fields=(user.role,))
        flash(f"Account {user.email} created.", "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/staff_form.html", form=form)


@bp.route("/staff/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_staff(user_id: int):
    """Change a staff member's name, role or clinic; each change is audited."""
    user = db.session.get(User, user_id)
    if user is None or not user.role_enum.is_staff:
        abort(404)
    form = StaffEditForm(obj=user)
    _clinic_choices(form)
    if not form.is_submitted():
        form.clinic_id.data = user.clinic_id or 0

    def save() -> tuple[str, ...]:
        clinic = db.session.get(Clinic, form.clinic_id.data) if form.clinic_id.data else None
        changes = StaffChanges(form.display_name.data or "", Role(form.role.data), clinic)
        return update_staff(user, changes, current_user, now_utc())

    saved = save_form(form, save)
    if saved:
        if saved.value:
            audit("update", object_type="users", object_id=user.id, fields=saved.value)
        flash(f"{user.email} saved.", "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/staff_edit.html", form=form, user=user)


def _other_staff_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.role_enum.is_staff or user.id == current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return user


@bp.post("/staff/<int:user_id>/active")
@admin_required
def toggle_staff(user_id: int):
    """Disable or re-enable a staff account; disabling ends its sessions."""
    user = _other_staff_or_404(user_id)
    set_active(user, not user.active, now_utc())
    db.session.commit()
    audit(
        "account",
        object_type="users",
        object_id=user.id,
        fields=("enabled" if user.active else "disabled",),
    )
    flash(f"{user.email} is now {'enabled' if user.active else 'disabled'}.", "info")
    return redirect(url_for("admin.index"))


@bp.post("/staff/<int:user_id>/two-factor/reset")
@limit_requests("RESET_LIMIT")
@admin_required
def reset_two_factor(user_id: int):
    """Clear a staff member's second factor (a lost phone); they set it up again."""
    user = _other_staff_or_404(user_id)
    second_factor.reset(user, now_utc())
    db.session.commit()
    audit("two_factor", object_type="users", object_id=user.id, fields=("reset",))
    flash(f"The second factor of {user.email} was reset.", "info")
    return redirect(url_for("admin.index"))
