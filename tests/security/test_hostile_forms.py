"""Random and hostile values in every form: no 500, no partial rows, every refusal names a field."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db, limiter
from portal.forms import PortalForm
from tests.factories import PASSWORD
from tests.security.conftest import log_in
from tests.security.forms import BUTTON_ONLY, FORMS, FormSpec

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202eevil",
    "😀" * 3,
    "NaN",
    "sNaN",
    "-Infinity",
    "1e999",
    "-1",
    "0",
    "99999999999999999999999",
    "1_000",
    "2025-02-30",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\r\n",
    "x" * 5000,
    "[]",
    "{}",
    "true",
    "null",
    "１２３",
    "\u0000\u0001",
]
# The tables a refused form must leave alone; the audit trail and sessions record the attempt.
IGNORED = {"audit_events", "user_sessions"}
ERROR_ID = re.compile(r'<p class="error-message" id="([\w-]+)-error">')
LABEL_FOR = re.compile(r'<label class="label" for="([\w-]+)">')
SUMMARY_LINK = re.compile(r'<a href="#([\w-]+)">([^<:]+): ')


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def form_data(valid: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """Each field valid or hostile, so checks deep in a form are reached too."""
    return st.fixed_dictionaries(
        {name: st.one_of(st.just(value), hostile_value()) for name, value in valid.items()}
    )


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in IGNORED
    }


def _client_for(app, world, actor_clients, spec: FormSpec):
    """The account posting this example and a client logged in as it (freshly if need be)."""
    account = spec.fresh_account(world) if spec.fresh_account else world.users.get(spec.actor)
    if spec.password_step_only:
        client = log_in(app, None)
        client.post_form("/login", {"email": account.email, "password": PASSWORD})
    elif spec.fresh_account or spec.actor == "anonymous":
        client = log_in(app, account)
    else:
        client = actor_clients[spec.actor]
    return account, client


def _send(client, spec: FormSpec, url: str, data: dict[str, str]):
    if spec.method == "GET":
        return client.get(url, query_string=data)
    return client.post(url, data={**data, "csrf_token": client.csrf_token()})


def _refusal_problems(spec: FormSpec, page: str) -> list[str]:
    errors = ERROR_ID.findall(page)
    labelled = set(LABEL_FOR.findall(page))
    problems = [f"error on {e!r} has no visible label" for e in errors if e not in labelled]
    summary = dict(SUMMARY_LINK.findall(page))
    problems += [
        f"summary links to {e!r}, which shows no error" for e in summary if e not in errors
    ]
    generic_login_refusal = spec.name == "login" and "do not match an account" in page
    if not errors and not generic_login_refusal:
        problems.append("refused without naming any field")
    return problems


@pytest.mark.parametrize("spec", FORMS, ids=[spec.name for spec in FORMS])
def test_hostile_values_never_crash_never_half_save_and_refusals_name_the_field(
    app, world, actor_clients, spec
):
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data):
        limiter.reset()
        account, client = _client_for(app, world, actor_clients, spec)
        url = spec.url(world, account)
        values = data.draw(form_data(spec.valid(world)))
        before = _row_counts()
        response = _send(client, spec, url, values)
        page = response.get_data(as_text=True)
        assert response.status_code < 500, page[-2000:]
        if response.status_code == 302:
            return  # accepted
        assert response.status_code == 200, response.status_code
        if spec.method == "POST":
            assert _row_counts() == before, "a refused form changed rows"
        if spec.method == "POST" or ERROR_ID.search(page):
            assert _refusal_problems(spec, page) == [], (values, page[page.find("<main") :][:1500])

    check()


# Values that broke real systems: NUL (PostgreSQL refuses it in text), a signalling NaN
# (Decimal comparisons raise), an impossible date and a value far over any length limit.
NASTIEST = ["bad\x00value", "sNaN", "2025-02-30", "9" * 5000]


def _nasty_problems(spec: FormSpec, field: str, nasty: str, response, rows_changed: bool):
    where = f"{field}={nasty[:12]!r}"
    if response.status_code not in (200, 302):
        return [f"{where}: status {response.status_code}"]
    if response.status_code == 302 or spec.method == "GET" or spec.name == "login":
        return []
    named = ERROR_ID.findall(response.get_data(as_text=True))
    problems = [f"{where}: refused but rows changed"] if rows_changed else []
    if not named:
        problems.append(f"{where}: refused without naming a field")
    # NUL is never acceptable: the refusal must point at the very field.
    if "\x00" in nasty and field not in named:
        problems.append(f"{where}: refused without naming {field}")
    return problems


@pytest.mark.parametrize("spec", FORMS, ids=[spec.name for spec in FORMS])
def test_each_nasty_value_alone_is_refused_with_a_named_field_or_stored_harmlessly(
    app, world, actor_clients, spec
):
    problems = []
    for field in spec.valid(world):
        for nasty in NASTIEST:
            limiter.reset()
            account, client = _client_for(app, world, actor_clients, spec)
            values = {**spec.valid(world), field: nasty}
            before = _row_counts()
            response = _send(client, spec, spec.url(world, account), values)
            changed = _row_counts() != before
            problems += _nasty_problems(spec, field, nasty, response, changed)
    assert problems == []


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_route_is_fuzzed_and_every_form_refuses_what_cannot_be_stored(app, world):
    adapter = app.url_map.bind("localhost")
    fuzzed = set()
    for spec in FORMS:
        account = spec.fresh_account(world) if spec.fresh_account else world.users.get(spec.actor)
        rule, _ = adapter.match(spec.url(world, account), spec.method, return_rule=True)
        fuzzed.add(rule.rule)
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posts - fuzzed - BUTTON_ONLY)
    assert missing == [], f"add these forms to tests/security/forms.py: {missing}"
    plain = [f.__qualname__ for f in _subclasses(FlaskForm) if not issubclass(f, PortalForm)]
    assert plain == [], f"these forms should subclass portal.forms.PortalForm: {plain}"
