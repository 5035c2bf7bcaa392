"""flask --app portal research …: a site writes its signed summary; a hub registers and loads.

Built on the same domain functions as the hub's pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.research import signing
from portal.research.loading import load_summary, register_site, site_code
from portal.research.site_summary import clinic_summary

research_cli = AppGroup("research", help="Site summaries for a network of clinics, and the hub.")


def _clinic(name: str | None) -> Clinic:
    clinics = list(db.session.scalars(select(Clinic).order_by(Clinic.name)))
    if name:
        found = [c for c in clinics if c.name.lower() == name.strip().lower()]
        if not found:
            raise click.UsageError(f"No clinic called {name}.")
        return found[0]
    if len(clinics) != 1:
        names = ", ".join(c.name for c in clinics) or "none"
        raise click.UsageError(f"Name the clinic with --clinic (clinics here: {names}).")
    return clinics[0]


def _code(given: str | None, clinic: Clinic) -> str:
    text = given or current_app.config.get("RESEARCH_SITE_CODE") or clinic.name
    slug = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")[:40]
    try:
        return site_code(slug)
    except FieldError as error:
        raise click.UsageError(f"Site code {slug!r}: {error.message}") from None


def _keys():
    config, instance = current_app.config, current_app.instance_path
    try:
        return signing.signing_key(config, instance), signing.lot_salt(config, instance)
    except signing.KeyMissing as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.ClickException(f"The research key or salt is malformed: {error}") from None


def _write_new(path: Path, data: bytes) -> None:
    """A new file readable by its owner only; an existing one is never overwritten."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; choose a new file name.") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


@research_cli.command("summary")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--clinic", "clinic_name", help="The clinic (needed when there are several).")
@click.option("--site", "site", help="The site's code at the hub (RESEARCH_SITE_CODE).")
def summary_command(out: Path, clinic_name: str | None, site: str | None):
    """Write the clinic's signed, de-identified site summary to OUT (a new file)."""
    clinic = _clinic(clinic_name)
    code = _code(site, clinic)
    key, salt = _keys()
    data, courses = clinic_summary(clinic, site=code, generated_on=today(), salt=salt, key=key)
    _write_new(out, data)
    fingerprint = signing.fingerprint(signing.public_key_text(key))
    click.echo(f"Wrote {courses} courses of {clinic.name} as site {code} to {out}.")
    click.echo(f"Signed with the key whose fingerprint is {fingerprint}.")


@research_cli.command("public-key")
def public_key_command():
    """Print this site's public key, for the hub to register, and its fingerprint."""
    key, _ = _keys()
    public = signing.public_key_text(key)
    click.echo(public)
    click.echo(f"Fingerprint: {signing.fingerprint(public)}")


@research_cli.command("new-key")
def new_key_command():
    """Print a new private key for RESEARCH_SIGNING_KEY (secret; the hub gets its public half)."""
    click.echo(signing.new_private_key())


@research_cli.command("register-site")
@click.argument("code")
@click.argument("public_key")
@click.option("--name", default="", help="The name the hub shows.")
def register_site_command(code: str, public_key: str, name: str):
    """At the hub: accept summaries from site CODE signed with PUBLIC_KEY."""
    try:
        site = register_site(code, name, public_key, None)
    except FieldError as error:
        db.session.rollback()
        raise click.UsageError(error.message) from None
    db.session.commit()
    click.echo(f"Registered {site.code} (key {signing.fingerprint(site.public_key)}).")


@research_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(path: Path):
    """At the hub: check and load a site summary file."""
    try:
        summary = load_summary(path.read_bytes(), by=None, now=now_utc())
    except FieldError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    # How many courses it holds is not echoed: a site's count may be under 5.
    click.echo(
        f"Loaded the summary of {summary.site.name} written on {summary.generated_on.isoformat()}."
    )
