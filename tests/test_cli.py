"""The flask commands: `users create` and `demo-data`."""

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.passwords import verify_password
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from portal.ops.demo import DEMO_PASSWORD
from tests import factories as make

PASSWORD = "long-enough-password"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args: str):
        result = runner.invoke(args=list(args))
        db.session.expire_all()  # the command committed through its own session
        return result

    return invoke


def create(run, email, role, *extra):
    return run("users", "create", "--email", email, "--password", PASSWORD, "--role", role, *extra)


def account(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_creates_a_clinician_in_a_new_clinic(run):
    result = create(run, "dr@clinic.test", "clinician", "--clinic", "Northern Children's")
    assert result.exit_code == 0, result.output
    assert "Created clinician dr@clinic.test" in result.output
    user = account("dr@clinic.test")
    assert user.clinic.name == "Northern Children's"
    assert verify_password(user.password_hash, PASSWORD)


def test_staff_join_an_existing_clinic_whatever_the_case(run):
    clinic = make.clinic("North")
    assert create(run, "dr@clinic.test", "clinician", "--clinic", "NORTH").exit_code == 0
    assert create(run, "boss@clinic.test", "admin", "--clinic", "north").exit_code == 0
    assert account("dr@clinic.test").clinic_id == clinic.id
    assert account("boss@clinic.test").clinic_id == clinic.id
    assert db.session.scalar(select(func.count()).select_from(Clinic)) == 1


def test_creates_an_administrator_without_a_clinic(run):
    assert create(run, "it@portal.test", "admin").exit_code == 0
    assert account("it@portal.test").clinic is None


def test_creates_a_guardian_linked_to_every_patient_named(run):
    ada, leo = make.patient(patient_ref="RX-1"), make.patient(patient_ref="RX-2")
    result = create(run, "mum@home.test", "guardian", "--patient", "rx-1", "--patient", "RX-2")
    assert result.exit_code == 0, result.output
    assert "(patients: RX-1, RX-2)" in result.output or "(patients: RX-2, RX-1)" in result.output
    assert {p.id for p in account("mum@home.test").patients} == {ada.id, leo.id}


def test_creates_a_child_account_with_a_username(run):
    ada = make.patient(patient_ref="RX-1")
    assert create(run, "ada.l", "child", "--patient", "RX-1").exit_code == 0
    child = account("ada.l")
    assert child.role == "child" and child.patients == [ada]


def test_running_again_adds_links_and_keeps_the_password(run):
    make.patient(patient_ref="RX-1")
    make.patient(patient_ref="RX-2")
    create(run, "mum@home.test", "guardian", "--patient", "RX-1")
    result = run(
        "users", "create", "--email", "MUM@home.test", "--password", "another-password",
        "--role", "guardian", "--patient", "RX-2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Updated (password unchanged) guardian mum@home.test" in result.output
    user = account("mum@home.test")
    assert sorted(p.patient_ref for p in user.patients) == ["RX-1", "RX-2"]
    assert verify_password(user.password_hash, PASSWORD)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("guardian", "--patient", "RX-404"), "No patient with reference RX-404."),
        (("guardian", "--patient", "RX-1", "--patient", "NOPE"), "No patient with reference NOPE"),
        (("clinician",), "A clinician must belong to a clinic."),
        (("clinician", "--clinic", "North", "--patient", "RX-1"), "--patient is for guardian"),
        (("guardian", "--clinic", "North"), "--clinic is for clinician and admin"),
        (("child", "--patient", "RX-1", "--patient", "RX-2"), "belongs to one child only"),
        (("teacher",), "Invalid value for '--role'"),
    ],
)
def test_refuses_bad_requests_and_creates_nothing(run, args, message):
    make.patient(patient_ref="RX-1")
    make.patient(patient_ref="RX-2")
    before = row_counts()
    result = create(run, "someone@x.test", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert row_counts() == before


def test_refuses_a_short_password_for_a_new_account(run):
    result = run("users", "create", "--email", "a@b.test", "--password", "short", "--role", "admin")
    assert result.exit_code == 2 and "at least 10 characters" in result.output
    assert account("a@b.test") is None


def test_refuses_to_change_the_role_or_clinic_of_an_existing_account(run):
    create(run, "dr@clinic.test", "clinician", "--clinic", "North")
    as_admin = create(run, "dr@clinic.test", "admin")
    assert as_admin.exit_code == 2 and "exists with the role clinician" in as_admin.output
    moved = create(run, "dr@clinic.test", "clinician", "--clinic", "South")
    assert moved.exit_code == 2 and "belongs to North" in moved.output
    assert account("dr@clinic.test").clinic.name == "North"


def test_demo_data_prints_the_accounts_and_loads_the_demo(run):
    result = run("demo-data")
    assert result.exit_code == 0, result.output
    for login in ("clinician@demo.test", "parent@demo.test", "child@demo.test", "admin@demo.test"):
        assert login in result.output
        assert verify_password(account(login).password_hash, DEMO_PASSWORD)
    assert f"password: {DEMO_PASSWORD}" in result.output

    parent, child = account("parent@demo.test"), account("child@demo.test")
    assert len(parent.patients) == 2
    elder = min(parent.patients, key=lambda p: p.date_of_birth)
    assert child.patients == [elder]
    clinician = account("clinician@demo.test")
    assert {p.clinic_id for p in parent.patients} == {clinician.clinic_id}
    for patient in parent.patients:
        statuses = {c.status for c in patient.courses}
        assert statuses == {"given", "planned"}
        assert any(c.start_date > today() for c in patient.courses)
        assert any(c.end_date < today() for c in patient.courses)


def test_demo_data_twice_leaves_the_same_rows(run):
    assert run("demo-data").exit_code == 0
    first = row_counts()
    assert run("demo-data").exit_code == 0
    assert row_counts() == first
    assert first["users"] == 4 and first["patients"] == 2
