"""flask --app portal import KIND FILE: the same import as the page, for every clinic."""

import sys

import click
from sqlalchemy import func, select

from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from portal.imports.importer import KINDS, ImportScope, import_file


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.File("rb"))
@click.option("--clinic", "clinic_name", help="Import into this clinic only (as its page does).")
def import_command(kind: str, file, clinic_name: str | None) -> None:
    """Import a clinic spreadsheet (CSV UTF-8 or .xlsx, header row); exits 1 when it is rejected."""
    clinic = None
    if clinic_name:
        query = select(Clinic).where(func.lower(Clinic.name) == clinic_name.strip().lower())
        clinic = db.session.scalar(query)
        if clinic is None:
            raise click.UsageError(f"No clinic named {clinic_name}.")
    scope = ImportScope(today=today(), clinic=clinic)
    report = import_file(kind, file.read(), scope, getattr(file, "name", "") or "")
    if not report.accepted:
        db.session.rollback()
        click.echo(report.summary(), err=True)
        for problem in report.problems:
            click.echo(
                f"  {report.place(problem, capital=False)}: {'; '.join(problem.reasons)}", err=True
            )
        sys.exit(1)
    db.session.commit()
    click.echo(report.summary())
