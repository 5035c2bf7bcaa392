"""`flask --app portal worker`: Huey's consumer for the portal's one queue (core/jobs.py)."""

from __future__ import annotations

import importlib
import logging

import click

from portal.core.jobs import huey

# Every feature module that declares jobs; imported before the consumer starts so each
# enqueued job and each periodic tick is known to the worker.
TASK_MODULES: tuple[str, ...] = ("portal.notify.tasks", "portal.auth.tasks")


def load_task_modules() -> None:
    for name in TASK_MODULES:
        importlib.import_module(name)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option("--no-periodic", is_flag=True, help="Run queued jobs only, not the periodic tick.")
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run queued jobs and the periodic tick until stopped (Ctrl-C)."""
    load_task_modules()
    # Huey logs a job's name and id, never its arguments.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    huey.create_consumer(workers=workers, periodic=not no_periodic).run()
