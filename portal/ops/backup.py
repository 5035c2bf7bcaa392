"""Consistent, encrypted copies of the live database, and putting one back.

SQLite uses its online backup API (a consistent snapshot while the portal keeps
running); PostgreSQL uses pg_dump's custom format and pg_restore, with the
client tools matching the server's major version. Passwords go to the tools
through the environment, never on a command line where `ps` would show them.

Every backup is encrypted with age (pyrage) to the recipients' public keys: the
plain copy exists only for the moment it takes, in a private temporary folder,
and is removed whatever happens. Restoring needs an age identity (the secret
key). The keys are described in `BackupKeys`.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyrage
from pyrage import x25519
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


AGE_HEADER = b"age-encryption.org/v1"


@dataclass(frozen=True)
class BackupKeys:
    """Who can read a backup: age recipients (public keys) and identities (secret keys).

    Backups are encrypted to every recipient; a restore tries every identity. On a
    server only the recipients need to be there (BACKUP_RECIPIENTS): the identity
    that can read the backups is kept elsewhere and handed to `restore` when needed.
    """

    recipients: tuple[x25519.Recipient, ...] = ()
    identities: tuple[x25519.Identity, ...] = ()


def _read_identities(text: str, where: str) -> tuple[x25519.Identity, ...]:
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    try:
        return tuple(x25519.Identity.from_str(key) for key in keys)
    except pyrage.IdentityError:
        raise BackupError(f"{where} does not hold an age identity (AGE-SECRET-KEY-1…).") from None


def _read_recipients(text: str) -> tuple[x25519.Recipient, ...]:
    try:
        return tuple(x25519.Recipient.from_str(key) for key in text.replace(",", " ").split())
    except pyrage.RecipientError:
        raise BackupError("BACKUP_RECIPIENTS must list age public keys (age1…).") from None


def development_identity(path: Path) -> x25519.Identity:
    """The identity kept in instance/ for local use (made on first use, mode 0600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        identity = x25519.Identity.generate()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write("# The portal's development backup identity. Never use it in production.\n")
            out.write(f"# public key: {identity.to_public()}\n{identity}\n")
    return _read_identities(path.read_text(), str(path))[0]


def backup_keys(
    recipients: str, identity: str, identity_file: str, development_file: Path | None
) -> BackupKeys:
    """The keys the settings name; in development, the instance folder's own identity."""
    identities: tuple[x25519.Identity, ...] = ()
    if identity.strip():
        identities += _read_identities(identity, "BACKUP_IDENTITY")
    if identity_file.strip():
        file = Path(identity_file)
        if not file.is_file():
            raise BackupError(f"BACKUP_IDENTITY_FILE {file} is not a file.")
        identities += _read_identities(file.read_text(), str(file))
    public = _read_recipients(recipients) if recipients.strip() else ()
    if not public and not identities and development_file is not None:
        identities = (development_identity(development_file),)
    if not public:
        public = tuple(i.to_public() for i in identities)
    return BackupKeys(public, identities)


@contextmanager
def _private_folder() -> Iterator[Path]:
    """A temporary folder only this user can enter, removed with all it holds."""
    folder = Path(tempfile.mkdtemp(prefix="portal-backup-"))
    try:
        folder.chmod(0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _need_recipients(keys: BackupKeys) -> None:
    if not keys.recipients:
        raise BackupError(
            "No backup recipient: set BACKUP_RECIPIENTS to the age public key(s) that may "
            "read backups (age-keygen -y identity.txt prints one)."
        )


def _encrypt(plain: Path, target: Path, keys: BackupKeys) -> None:
    _need_recipients(keys)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)  # the name is ours, readable by its owner only, before any byte
    try:
        pyrage.encrypt_file(str(plain), str(target), list(keys.recipients))
    except Exception:
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o600)


def _decrypt(source: Path, plain: Path, keys: BackupKeys) -> None:
    with source.open("rb") as head:
        if not head.read(len(AGE_HEADER)) == AGE_HEADER:
            raise BackupError(f"{source} is not an encrypted portal backup.")
    if not keys.identities:
        raise BackupError(
            "No identity to decrypt with: set BACKUP_IDENTITY_FILE (or BACKUP_IDENTITY) "
            "to the age identity the backups were made for."
        )
    try:
        pyrage.decrypt_file(str(source), str(plain), list(keys.identities))
    except pyrage.DecryptError:
        raise BackupError(f"{source} cannot be decrypted with the identity given.") from None


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
    engine = create_engine(url, hide_parameters=True)
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


def _plain_copy(url: URL, copy: Path, bin_dir: str) -> None:
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_path(url), copy)
    elif url.get_backend_name() == "postgresql":
        tool = pg_tool("pg_dump", url, bin_dir)
        _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={copy}"], url)
    else:
        raise BackupError(f"No backup method for {url.get_backend_name()}.")
    copy.chmod(0o600)


def backup(database_url: str, target: Path, keys: BackupKeys, bin_dir: str = "") -> None:
    """Write a consistent, encrypted copy of the database to `target` (which must not exist)."""
    url = make_url(database_url)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    _need_recipients(keys)  # refused, with the reason, before anything is copied
    target.parent.mkdir(parents=True, exist_ok=True)
    with _private_folder() as folder:
        plain = folder / "portal.backup"
        _plain_copy(url, plain, bin_dir)
        _encrypt(plain, target, keys)


def restore(database_url: str, source: Path, keys: BackupKeys, bin_dir: str = "") -> None:
    """Replace the database's contents with those of an encrypted backup made by `backup`."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with _private_folder() as folder:
        plain = folder / "portal.backup"
        _decrypt(source, plain, keys)
        _restore_plain(database_url, plain, bin_dir)


def _restore_plain(database_url: str, source: Path, bin_dir: str) -> None:
    url = make_url(database_url)
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
