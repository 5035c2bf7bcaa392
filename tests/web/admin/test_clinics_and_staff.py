"""Administrators create clinics and staff accounts; they never see patients."""

import html

from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.core.extensions import db
from tests import factories as make
from tests.factories import PASSWORD


def staff_form(**overrides) -> dict:
    form = {
        "display_name": "Dr Amara Shah",
        "email": "amara@clinic.test",
        "role": "clinician",
        "clinic_id": "0",
        "password": "a-long-first-password",
    }
    form.update(overrides)
    return form


def test_admin_creates_a_clinic_and_edits_its_phone(client, login_as):
    login_as(Role.ADMIN)
    response = client.post_form(
        "/admin/clinics/new", {"name": "Northern Children's", "phone": "0161 496 0000"}
    )
    assert response.status_code == 302
    clinic = db.session.scalars(select(Clinic)).one()
    assert (clinic.name, clinic.phone) == ("Northern Children's", "0161 496 0000")
    client.post_form(
        f"/admin/clinics/{clinic.id}/edit", {"name": "Northern Children's", "phone": "+44 161 1"}
    )
    db.session.refresh(clinic)
    assert clinic.phone == "+44 161 1"
    page = html.unescape(client.get("/admin/").get_data(as_text=True))
    assert "Northern Children's" in page and "+44 161 1" in page


def test_clinic_form_refuses_a_duplicate_name_and_a_bad_phone(client, login_as):
    login_as(Role.ADMIN)
    make.clinic("North")
    page = client.post_form("/admin/clinics/new", {"name": "north", "phone": "call me"})
    text = page.get_data(as_text=True)
    assert "A clinic with this name exists." in text
    assert "Phone number families should call: Use digits" in text
    assert db.session.scalar(select(func.count()).select_from(Clinic)) == 1


def test_admin_creates_a_clinician_who_can_log_in_and_sees_the_clinic(client, login_as, app):
    login_as(Role.ADMIN)
    clinic = make.clinic("North")
    make.patient(clinic, name="Ada Lovelace")
    form = staff_form(clinic_id=str(clinic.id))
    assert client.post_form("/admin/staff/new", form).status_code == 302
    user = db.session.scalars(select(User).where(User.email == "amara@clinic.test")).one()
    assert (user.role, user.clinic_id) == ("clinician", clinic.id)
    assert user.display_name == "Dr Amara Shah"
    assert user.created_by_id is not None

    staff = app.test_client()
    staff.post_form("/login", {"email": "amara@clinic.test", "password": "a-long-first-password"})
    assert "Ada Lovelace" in staff.get("/clinic/").get_data(as_text=True)


def test_admin_creates_another_administrator_without_a_clinic(client, login_as):
    login_as(Role.ADMIN)
    response = client.post_form("/admin/staff/new", staff_form(role="admin", email="it@x.test"))
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "it@x.test")).one()
    assert user.role == "admin" and user.clinic_id is None


def test_staff_form_names_each_problem_and_saves_nothing(client, login_as):
    admin = login_as(Role.ADMIN)
    page = client.post_form("/admin/staff/new", staff_form()).get_data(as_text=True)
    assert "Clinic: A clinician must belong to a clinic." in page
    page = client.post_form(
        "/admin/staff/new", staff_form(email=admin.email, role="admin", password="short")
    ).get_data(as_text=True)
    assert "Initial password: Use at least 10 characters." in page
    page = client.post_form(
        "/admin/staff/new", staff_form(email=admin.email, role="admin")
    ).get_data(as_text=True)
    assert "That login is already in use." in page
    assert 'value="Dr Amara Shah"' in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_disabling_a_staff_account_ends_its_session_and_blocks_login(client, login_as, app):
    login_as(Role.ADMIN)
    clinician = make.user(Role.CLINICIAN)
    other = app.test_client()
    other.post_form("/login", {"email": clinician.email, "password": PASSWORD})
    assert other.get("/clinic/").status_code == 200

    client.post_form(f"/admin/staff/{clinician.id}/active")
    assert "/login" in other.get("/clinic/").headers["Location"]
    refused = other.post_form("/login", {"email": clinician.email, "password": PASSWORD})
    assert "do not match an account" in refused.get_data(as_text=True)

    client.post_form(f"/admin/staff/{clinician.id}/active")
    again = other.post_form("/login", {"email": clinician.email, "password": PASSWORD})
    assert again.status_code == 302


def test_admin_cannot_disable_itself_or_family_accounts(client, login_as):
    admin = login_as(Role.ADMIN)
    guardian = make.user(Role.GUARDIAN)
    assert client.post_form(f"/admin/staff/{admin.id}/active").status_code == 404
    assert client.post_form(f"/admin/staff/{guardian.id}/active").status_code == 404
    db.session.refresh(guardian)
    assert guardian.active and admin.active


def test_admin_sees_clinics_and_staff_but_no_patient(client, login_as):
    login_as(Role.ADMIN)
    patient = make.patient(name="Ada Lovelace")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Ada Lovelace" not in page
    for url in ("/clinic/", f"/clinic/patients/{patient.id}", "/family", f"/family/{patient.id}"):
        assert client.get(url).status_code == 404


def _audit_fields(user_id: int, action: str) -> list[str]:
    from portal.audit.models import AuditEvent

    rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "users",
            AuditEvent.object_id == user_id,
            AuditEvent.action == action,
        )
    )
    return [row.fields for row in rows]


def test_admin_edits_a_staff_members_name_role_and_clinic_each_audited(client, login_as):
    login_as(Role.ADMIN)
    clinician = make.user(Role.CLINICIAN)
    other_clinic = make.clinic("Northern Clinic")
    page = client.get(f"/admin/staff/{clinician.id}/edit").get_data(as_text=True)
    assert f'value="{clinician.display_name}"' in page
    response = client.post_form(
        f"/admin/staff/{clinician.id}/edit",
        {"display_name": "Dr Ngozi Eze", "role": "clinician", "clinic_id": str(other_clinic.id)},
    )
    assert response.status_code == 302
    db.session.refresh(clinician)
    assert (clinician.display_name, clinician.clinic_id) == ("Dr Ngozi Eze", other_clinic.id)
    assert _audit_fields(clinician.id, "update") == ["display_name,clinic"]
    assert "Dr Ngozi Eze" in client.get("/admin/").get_data(as_text=True)


def test_staff_edit_refuses_a_clinician_without_a_clinic_and_keeps_what_was_typed(client, login_as):
    login_as(Role.ADMIN)
    clinician = make.user(Role.CLINICIAN)
    page = client.post_form(
        f"/admin/staff/{clinician.id}/edit",
        {"display_name": "Dr Renamed", "role": "clinician", "clinic_id": "0"},
    ).get_data(as_text=True)
    assert "A clinician must belong to a clinic." in page
    assert 'value="Dr Renamed"' in page
    db.session.refresh(clinician)
    assert clinician.display_name != "Dr Renamed" and clinician.clinic_id is not None
    assert _audit_fields(clinician.id, "update") == []


def test_an_admin_cannot_change_their_own_role_and_family_accounts_are_not_staff(client, login_as):
    admin = login_as(Role.ADMIN)
    clinic = make.clinic()
    page = client.post_form(
        f"/admin/staff/{admin.id}/edit",
        {"display_name": "Me", "role": "clinician", "clinic_id": str(clinic.id)},
    ).get_data(as_text=True)
    assert "You cannot change your own role" in page
    assert client.get(f"/admin/staff/{make.user(Role.GUARDIAN).id}/edit").status_code == 404


def test_disabling_and_enabling_are_each_audited(client, login_as):
    login_as(Role.ADMIN)
    clinician = make.user(Role.CLINICIAN)
    client.post_form(f"/admin/staff/{clinician.id}/active")
    client.post_form(f"/admin/staff/{clinician.id}/active")
    assert _audit_fields(clinician.id, "account") == ["disabled", "enabled"]
