"""flask --app portal import KIND FILE: the same import as the page, for every clinic."""

import sys

import click

from portal.core.clock import today
from portal.core.extensions import db
from portal.imports.importer import KINDS, ImportScope, import_csv


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.File("rb"))
def import_command(kind: str, file) -> None:
    """Import a clinic spreadsheet (CSV, UTF-8, header row); exits 1 when it is rejected."""
    report = import_csv(kind, file.read(), ImportScope(today=today()))
    if not report.accepted:
        db.session.rollback()
        click.echo(report.summary(), err=True)
        for problem in report.problems:
            click.echo(f"  line {problem.line}: {'; '.join(problem.reasons)}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(report.summary())
