"""Real servers on 127.0.0.1 and plain HTTP clients, for limits tested under real concurrency.

A server is a threaded Werkzeug server, either in a thread of this process (sharing
the memory rate-limit store with the test) or in spawned processes sharing Redis and
the database, as gunicorn workers do. Each server counts the checks it makes (password
hashes verified, second-factor codes and enrolment codes looked at) in a counter the
test reads, so "at most 10 checks" is measured, not inferred from status codes.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from werkzeug.serving import make_server

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class LiveClient:
    """One browser: its own cookies, an optional X-Forwarded-For (servers trust one proxy)."""

    base: str
    address: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None, headers=None) -> Answer:
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            sent["X-Forwarded-For"] = self.address
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Answer(response.status, response.headers, text)

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def token(self, path: str) -> str:
        """The CSRF token of this client's session, read from a page."""
        page = self.get(path).text
        match = CSRF_FIELD.search(page) or META_CSRF.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def copy(self, address: str | None = None) -> LiveClient:
        """Another client holding the same cookies (a stolen or shared session)."""
        return LiveClient(self.base, address or self.address, dict(self.cookies))


def burst(clients: list, send: Callable[[object], Answer]) -> list[Answer]:
    """Send one request from each client at the same moment (a barrier), in threads."""
    barrier = threading.Barrier(len(clients))
    answers: list[Answer | None] = [None] * len(clients)
    errors: list[BaseException] = []

    def run(index: int, client) -> None:
        try:
            barrier.wait(timeout=60)
            answers[index] = send(client)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return answers


def prepare(clients: list, step: Callable[[object], object]) -> list:
    """Run a set-up step (fetch a form's token, log in) for each client, a few at a time."""
    results: list = [None] * len(clients)
    semaphore = threading.Semaphore(8)

    def run(index: int, client) -> None:
        with semaphore:
            results[index] = step(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def count_checks(app, counter) -> Callable[[], None]:
    """Make every check of a secret this app does add one to `counter`; returns an undo."""
    from portal.auth import second_factor
    from portal.auth.passwords import HASHER_KEY
    from portal.patients import views as patient_views

    hasher = app.extensions[HASHER_KEY]
    originals = (hasher.verify, second_factor.matching_step, patient_views.find_redeemable)

    def counted(function):
        def wrapper(*args, **kwargs):
            with counter.get_lock():
                counter.value += 1
            return function(*args, **kwargs)

        return wrapper

    hasher.verify = counted(originals[0])
    second_factor.matching_step = counted(originals[1])
    patient_views.find_redeemable = counted(originals[2])

    def undo() -> None:
        del hasher.verify
        second_factor.matching_step = originals[1]
        patient_views.find_redeemable = originals[2]

    return undo


def _warm_up(app) -> None:
    """Render one page first: the asset bundles are built once, not by forty requests at once."""
    with app.app_context():
        app.test_client().get("/login").close()


@contextmanager
def thread_server(app) -> Iterator[str]:
    """The app served from a thread of this process."""
    _warm_up(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def serve_in_process(database_url, overrides, moment, counter, ports, stop) -> None:
    """A spawned 'worker': its own app and clock (travelled to the test's instant)."""
    import time_machine

    from config import TestingConfig
    from portal import create_app

    with time_machine.travel(moment, tick=True):
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)
        count_checks(app, counter)
        _warm_up(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        ports.put(server.server_port)
        stop.wait(timeout=600)
        server.shutdown()
        server.server_close()


@contextmanager
def process_servers(database_url: str, overrides: dict, moment, counter, count: int = 2):
    """`count` server processes sharing the database (and Redis, through `overrides`)."""
    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    workers = [
        context.Process(
            target=serve_in_process,
            args=(database_url, overrides, moment, counter, ports, stop),
            daemon=True,
        )
        for _ in range(count)
    ]
    for worker in workers:
        worker.start()
    try:
        yield [f"http://127.0.0.1:{ports.get(timeout=120)}" for _ in workers]
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=20)
            if worker.is_alive():
                worker.terminate()
