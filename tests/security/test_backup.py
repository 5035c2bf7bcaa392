"""`flask --app portal backup PATH` and `restore PATH`: a copy that restores row for row."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pyrage
from pyrage import x25519
from sqlalchemy import func, inspect, select

from config import TestingConfig
from portal.core.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _row_counts() -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name in present
    }


def _flask(database_url: str, *args: str, **env_vars: str) -> subprocess.CompletedProcess:
    """The real command line, as an operator would type it."""
    env = {**os.environ, "PORTAL_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows(
    app, world, tmp_path, fresh_database_url, other_app
):
    source_counts = _row_counts()
    assert source_counts["patients"] == 2 and source_counts["audit_events"] > 0
    path = tmp_path / "backup" / "portal.backup"

    made = _flask(app.config["SQLALCHEMY_DATABASE_URI"], "backup", str(path))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    restored = _flask(fresh_database_url, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    fresh = other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with fresh.app_context():
        restored_counts = _row_counts()
    assert restored_counts == source_counts


def test_backup_never_overwrites_and_restore_refuses_a_file_that_is_no_backup(app, tmp_path):
    existing = tmp_path / "taken.backup"
    existing.write_text("keep me")
    refused = app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert refused.exit_code != 0 and "exists" in refused.output
    assert existing.read_text() == "keep me"

    before = _row_counts()
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a database at all" * 100)
    bad = app.test_cli_runner().invoke(args=["restore", "--yes", str(garbage)])
    assert bad.exit_code != 0
    assert _row_counts() == before


def test_restoring_over_data_asks_first(app, world, tmp_path):
    path = tmp_path / "copy.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    declined = app.test_cli_runner().invoke(args=["restore", str(path)], input="n\n")
    assert declined.exit_code != 0
    assert "rows that the backup will replace" in declined.output


def _identity_file(folder: Path, name: str = "identity.txt") -> tuple[Path, str]:
    identity = x25519.Identity.generate()
    path = folder / name
    path.write_text(f"{identity}\n")
    path.chmod(0o600)
    return path, str(identity.to_public())


def test_a_backup_is_age_encrypted_and_no_plain_copy_is_left_anywhere(app, world, tmp_path):
    identity, public = _identity_file(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    path = tmp_path / "portal.backup"
    made = _flask(
        app.config["SQLALCHEMY_DATABASE_URI"],
        "backup",
        str(path),
        BACKUP_RECIPIENTS=public,
        TMPDIR=str(scratch),
    )
    assert made.returncode == 0, made.stderr
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert b"SQLite format 3" not in data and b"PGDMP" not in data
    assert world.patient_a.name.encode() not in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(scratch.iterdir()) == []  # the plain copy was made in there, and is gone
    plain = pyrage.decrypt(data, [x25519.Identity.from_str(identity.read_text().strip())])
    assert plain.startswith(b"SQLite format 3") or plain.startswith(b"PGDMP")


def test_restore_needs_the_identity_and_refuses_the_wrong_one(
    app, world, tmp_path, fresh_database_url, other_app
):
    identity, public = _identity_file(tmp_path)
    stranger, _ = _identity_file(tmp_path, "stranger.txt")
    path = tmp_path / "portal.backup"
    source = app.config["SQLALCHEMY_DATABASE_URI"]
    assert _flask(source, "backup", str(path), BACKUP_RECIPIENTS=public).returncode == 0

    # A server that holds only the public key cannot read its own backups.
    blind = _flask(fresh_database_url, "restore", str(path), BACKUP_RECIPIENTS=public)
    assert blind.returncode != 0 and "No identity to decrypt with" in blind.stderr
    wrong = _flask(fresh_database_url, "restore", "--identity", str(stranger), str(path))
    assert wrong.returncode != 0 and "cannot be decrypted" in wrong.stderr
    right = _flask(fresh_database_url, "restore", "--identity", str(identity), str(path))
    assert right.returncode == 0, right.stderr
    fresh = other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with fresh.app_context():
        restored = _row_counts()
    assert restored["patients"] == 2 and restored == _row_counts()


def test_production_writes_no_backup_without_a_recipient(app, tmp_path):
    path = tmp_path / "portal.backup"
    env = {"PORTAL_CONFIG": "production", "SECRET_KEY": "x" * 32, "BACKUP_RECIPIENTS": ""}
    env["PORTAL_DATA_KEYS"] = app.config["PORTAL_DATA_KEYS"]
    env["DATABASE_URL"] = app.config["SQLALCHEMY_DATABASE_URI"]
    refused = _flask(app.config["SQLALCHEMY_DATABASE_URI"], "backup", str(path), **env)
    assert refused.returncode != 0 and "BACKUP_RECIPIENTS" in refused.stderr
    assert not path.exists()


def test_an_unencrypted_copy_is_not_restored(app, world, tmp_path):
    before = _row_counts()
    plain = tmp_path / "plain.db"
    plain.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    refused = app.test_cli_runner().invoke(args=["restore", "--yes", str(plain)])
    assert refused.exit_code != 0 and "not an encrypted portal backup" in refused.output
    assert _row_counts() == before


def test_the_development_identity_and_database_are_readable_by_their_owner_only(
    tmp_path, other_app
):
    from portal.ops.backup import development_identity

    identity_path = tmp_path / "instance" / "backup-identity.txt"
    identity = development_identity(identity_path)
    assert stat.S_IMODE(identity_path.stat().st_mode) == 0o600
    assert str(development_identity(identity_path).to_public()) == str(identity.to_public())

    database = tmp_path / "instance" / "portal.db"
    made = other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with made.app_context():
        db.create_all()  # writes through WAL: the -wal and -shm files appear
        files = [database, *database.parent.glob("portal.db-*")]
        assert len(files) >= 2
        assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{loose}")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600  # an existing file is tightened
