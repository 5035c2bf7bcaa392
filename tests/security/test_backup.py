"""`flask --app portal backup PATH` and `restore PATH`: a copy that restores row for row."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

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


def _flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """The real command line, as an operator would type it."""
    env = {**os.environ, "PORTAL_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
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
