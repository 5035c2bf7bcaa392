"""Consistent copies of the live database, and putting one back.

SQLite uses its online backup API (a consistent snapshot while the portal keeps
running); PostgreSQL uses pg_dump's custom format and pg_restore, with the
client tools matching the server's major version. Passwords go to the tools
through the environment, never on a command line where `ps` would show them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    # sqlite3's context manager commits but does not close.
    src.close()
    dst.close()


def _check_sqlite_file(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            ok = connection.execute("PRAGMA quick_check").fetchone()[0]
        connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from None
    if ok != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {ok}")


def _pg_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=url.host or "localhost",
        PGPORT=str(url.port or 5432),
        PGUSER=url.username or "",
        PGDATABASE=url.database or "",
    )
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _server_major(url: URL) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            number = int(connection.execute(text("SHOW server_version_num")).scalar_one())
    finally:
        engine.dispose()
    return number // 10000


def pg_tool(name: str, url: URL, bin_dir: str = "") -> str:
    """The pg_dump/pg_restore to use: same major version as the server (or newer)."""
    major = _server_major(url)
    candidates = [Path(bin_dir) / name] if bin_dir else []
    candidates += [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    found = next((str(p) for p in candidates if p.is_file()), None) or shutil.which(name)
    if not found:
        raise BackupError(f"{name} is missing: install postgresql-client-{major}.")
    version = subprocess.run(  # noqa: S603 - a resolved tool path, fixed arguments
        [found, "--version"], capture_output=True, text=True, check=True
    )
    match = re.search(r"\)\s+(\d+)", version.stdout)
    tool_major = int(match.group(1)) if match else 0
    if tool_major < major:
        raise BackupError(f"{found} is version {tool_major}; the server runs {major}.")
    return found


def _run(arguments: list[str], url: URL) -> None:
    result = subprocess.run(  # noqa: S603 - a resolved tool path, fixed arguments
        arguments, env=_pg_env(url), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-500:]}")


def backup(database_url: str, target: Path, bin_dir: str = "") -> None:
    """Write a consistent copy of the database to `target` (which must not exist)."""
    url = make_url(database_url)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        tool = pg_tool("pg_dump", url, bin_dir)
        _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], url)
    else:
        raise BackupError(f"No backup method for {url.get_backend_name()}.")
    target.chmod(0o600)  # the copy holds children's health data


def restore(database_url: str, source: Path, bin_dir: str = "") -> None:
    """Replace the database's contents with those of a backup made by `backup`."""
    url = make_url(database_url)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(source)
        _copy_sqlite(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        tool = pg_tool("pg_restore", url, bin_dir)
        _run(
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={url.database}",
                str(source),
            ],
            url,
        )
    else:
        raise BackupError(f"No restore method for {url.get_backend_name()}.")
