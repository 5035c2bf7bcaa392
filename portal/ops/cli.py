"""flask --app portal commands, built on the same domain functions as the pages."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, inspect, select

from portal.auth.accounts import (
    create_user,
    find_user,
    get_or_create_clinic,
    link_patient,
)
from portal.auth.models import Role, User
from portal.auth.passwords import password_problem
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.imports.cli import import_command
from portal.ops.backup import BackupError, BackupKeys, backup, backup_keys, restore
from portal.ops.demo import DEMO_PASSWORD, load_demo_data
from portal.ops.keys import keys_cli
from portal.ops.worker import worker_command
from portal.patients.models import Patient
from portal.patients.records import AmbiguousReference, find_by_ref
from portal.research.cli import research_cli

users_cli = AppGroup("users", help="Manage accounts.")


def _patients(refs: tuple[str, ...], role: Role) -> list[Patient]:
    """The patients named by hospital reference; every one must exist."""
    if refs and not role.is_family:
        raise click.UsageError("--patient is for guardian and child accounts.")
    patients = []
    for ref in refs:
        try:
            patient = find_by_ref(ref)
        except AmbiguousReference:
            raise click.UsageError(
                f"More than one clinic has a patient {ref}: link the account with an "
                "enrolment code from the clinic instead."
            ) from None
        if patient is None:
            raise click.UsageError(f"No patient with reference {ref}.")
        patients.append(patient)
    return patients


def _check_existing(user: User, role: Role, clinic_name: str | None) -> None:
    """An existing account keeps its role and clinic; the command only adds links."""
    if user.role != role.value:
        raise click.UsageError(f"{user.email} exists with the role {user.role}.")
    if clinic_name and (user.clinic is None or user.clinic.name.lower() != clinic_name.lower()):
        current = user.clinic.name if user.clinic else "no clinic"
        raise click.UsageError(f"{user.email} exists and belongs to {current}.")


def _new_account(email: str, password: str, role: Role, clinic: Clinic | None) -> User:
    problem = password_problem(password, email)
    if problem:
        raise click.UsageError(problem)
    return create_user(email, password, role, clinic=clinic)


@users_cli.command("create")
@click.option("--email", required=True, help="Email address, or a username for a child.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--clinic", "clinic_name", help="Staff: the clinic (created if new).")
@click.option(
    "--patient", "patient_refs", multiple=True, help="Family: a hospital reference (repeatable)."
)
def create_user_command(email, password, role, clinic_name, patient_refs):
    """Create an account, or add patient links to an existing one."""
    role = Role(role)
    if clinic_name and not role.is_staff:
        raise click.UsageError("--clinic is for clinician and admin accounts.")
    patients = _patients(patient_refs, role)
    user = find_user(email)
    try:
        if user is None:
            clinic = get_or_create_clinic(clinic_name) if clinic_name else None
            user, action = _new_account(email, password, role, clinic), "Created"
        else:
            _check_existing(user, role, clinic_name)
            action = "Updated (password unchanged)"
        for patient in patients:
            link_patient(user, patient)
    except FieldError as error:
        db.session.rollback()
        raise click.UsageError(error.message) from None
    db.session.commit()
    links = ", ".join(p.patient_ref for p in user.patients) or "none"
    where = f", clinic: {user.clinic.name}" if user.clinic else ""
    click.echo(f"{action} {user.role} {user.email} (patients: {links}{where})")


@click.command("demo-data")
def demo_data_command():
    """Load the demo clinic, accounts and courses (safe to run again)."""
    summary = load_demo_data(today())
    db.session.commit()
    click.echo("Demo data ready. Log in at /login with any of these accounts:")
    for role, login in summary.accounts:
        click.echo(f"  {role:<10} {login:<24} password: {DEMO_PASSWORD}")


def _row_count() -> int:
    """Rows in every portal table the database has."""
    present = set(inspect(db.engine).get_table_names())
    tables = [t for t in db.metadata.sorted_tables if t.name in present]
    return sum(db.session.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


BACKUP_DEVELOPMENT_FILE = "backup-identity.txt"


def _backup_keys(identity_file: Path | None = None) -> BackupKeys:
    """The age keys the settings name (see config.py), or --identity for a restore."""
    config = current_app.config
    development = None
    if config["BACKUP_DEVELOPMENT_IDENTITY"]:
        development = Path(current_app.instance_path) / BACKUP_DEVELOPMENT_FILE
    return backup_keys(
        config["BACKUP_RECIPIENTS"],
        config["BACKUP_IDENTITY"],
        str(identity_file) if identity_file else config["BACKUP_IDENTITY_FILE"],
        development,
    )


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path):
    """Write a consistent, encrypted copy of the live database to PATH (a new file)."""
    try:
        keys = _backup_keys()
        backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            path,
            keys,
            current_app.config["PG_BIN_DIR"],
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    readers = ", ".join(str(r) for r in keys.recipients)
    click.echo(f"Encrypted backup written to {path} (readable with the identity of {readers}).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The age identity file that decrypts the backup (else BACKUP_IDENTITY_FILE).",
)
def restore_command(path: Path, yes: bool, identity_file: Path | None):
    """Replace the database's contents with the encrypted backup at PATH."""
    try:
        keys = _backup_keys(identity_file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = _row_count()
    db.session.remove()
    db.engine.dispose()
    if rows and not yes:
        click.confirm(
            f"The database holds {rows} rows that the backup will replace. Go on?", abort=True
        )
    try:
        restore(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            path,
            keys,
            current_app.config["PG_BIN_DIR"],
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    db.engine.dispose()
    click.echo(f"Restored {path}: {_row_count()} rows.")


def register_commands(app: Flask) -> None:
    """Attach the portal's commands to the app."""
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(import_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(keys_cli)
    app.cli.add_command(research_cli)
    app.cli.add_command(worker_command)
