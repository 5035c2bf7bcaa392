"""The one job queue (Huey): work done after a request, and the periodic tick.

The store is named by the environment when this module is first imported, so the web
process and the worker (`flask --app portal worker`) agree on it without an app:

- `HUEY_REDIS_URL` (or else `REDIS_URL`) set: RedisHuey on that server;
- otherwise SqliteHuey in `instance/jobs.sqlite3` (`HUEY_SQLITE_PATH` to move it).

A feature's jobs live in `<feature>/tasks.py` and are declared with `job()` or
`periodic_job()` below, which run the function inside an app context of its own (its own
database session), in the web process when the queue is immediate (tests) and in the
worker otherwise. The worker (`portal/ops/worker.py`) imports every feature's tasks module.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

INSTANCE_DIR = Path(__file__).resolve().parents[2] / "instance"
QUEUE_NAME = "portal"

_bound: dict[str, Flask] = {}


def store_from_environment(environ: os._Environ | dict = os.environ) -> Huey:
    """A Huey on Redis when a Redis URL is named, else on an SQLite file in instance/."""
    redis_url = environ.get("HUEY_REDIS_URL") or environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey(QUEUE_NAME, url=redis_url, results=False)
    path = Path(environ.get("HUEY_SQLITE_PATH") or INSTANCE_DIR / "jobs.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)


huey: Huey = store_from_environment()


def init_jobs(app: Flask) -> None:
    """Immediate (run where enqueued) when the app says so; the first app is the worker's."""
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE", False))
    _bound.setdefault("app", app)
    app.extensions["portal_jobs"] = huey


def use_sqlite_store(path: Path, app: Flask) -> None:
    """Queue to a real SQLite store at `path`, jobs run for `app` (a test asking for a
    worker's store); `init_jobs(app)` goes back to the app's own setting."""
    huey.immediate = False
    huey.storage = SqliteStorage(QUEUE_NAME, filename=str(path))
    _bound["app"] = app


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if "app" not in _bound:
        raise RuntimeError("no app for this job: create_app() first (the worker does)")
    return _bound["app"]


def _in_own_context(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        # A context of its own: the job's database session is never the request's.
        with _app().app_context():
            return func(*args, **kwargs)

    return run


def job(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A Huey task that runs in an app context: `@job()` then `send_it(...)` enqueues."""

    def decorate(func: Callable[..., Any]) -> Any:
        return huey.task(name=f"{func.__module__}.{func.__name__}", **options)(
            _in_own_context(func)
        )

    return decorate


def periodic_job(schedule: Callable[..., bool], **options: Any) -> Callable[..., Any]:
    """A periodic Huey task (`schedule` is e.g. `huey.crontab(minute="*")`)."""

    def decorate(func: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, name=f"{func.__module__}.{func.__name__}", **options)(
            _in_own_context(func)
        )

    return decorate
