"""The job queue: immediate in tests, a real store for the worker, each job in its own
app context, and the `worker` command that runs them."""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import select

from portal.auth.models import User
from portal.core import jobs
from portal.core.extensions import db
from tests import factories as make

RAN: list[tuple[str, bool]] = []
SESSIONS: list[object] = []


@jobs.job()
def rename_user(user_id: int, name: str) -> None:
    """Changes a row and commits through the job's own session."""
    user = db.session.get(User, user_id)
    user.display_name = name
    db.session.commit()
    SESSIONS.append(db.session())
    RAN.append((name, has_app_context()))


def stored_name(user_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.display_name).where(User.id == user_id))


def test_a_job_runs_at_once_in_tests_in_its_own_session():
    RAN.clear()
    user = make.user("guardian")
    db.session.commit()
    outer = db.session()
    rename_user(user.id, "Renamed now")
    assert RAN == [("Renamed now", True)]
    # The job's session was not the test's: the test reads the committed change anew.
    assert SESSIONS[-1] is not outer
    assert stored_name(user.id) == "Renamed now"


def test_with_a_real_store_a_job_waits_for_the_worker(job_store, app):
    RAN.clear()
    user = make.user("guardian")
    db.session.commit()
    rename_user(user.id, "Queued")
    assert RAN == []
    assert jobs.huey.pending_count() == 1
    assert job_store.exists()

    # What the worker does with it: take it from the store and run it (no consumer thread,
    # whose scheduler reads the machine's clock).
    task = jobs.huey.dequeue()
    assert task is not None
    jobs.huey.execute(task)
    assert RAN == [("Queued", True)]
    assert jobs.huey.pending_count() == 0
    assert stored_name(user.id) == "Queued"


def test_the_store_is_redis_when_a_redis_url_is_named(tmp_path):
    on_redis = jobs.store_from_environment({"REDIS_URL": "redis://127.0.0.1:6379/5"})
    assert type(on_redis).__name__ == "RedisHuey"
    preferred = jobs.store_from_environment(
        {"HUEY_REDIS_URL": "redis://127.0.0.1:6379/6", "REDIS_URL": "redis://x:1/0"}
    )
    assert preferred.storage.conn.connection_pool.connection_kwargs["db"] == 6
    on_file = jobs.store_from_environment({"HUEY_SQLITE_PATH": str(tmp_path / "q.sqlite3")})
    assert type(on_file).__name__ == "SqliteHuey"
    assert on_file.storage.filename == str(tmp_path / "q.sqlite3")


def test_the_worker_command_is_there(app):
    result = app.test_cli_runner().invoke(args=["worker", "--help"])
    assert result.exit_code == 0
    assert "Run queued jobs and the periodic tick" in result.output
