"""Random and hostile values in every form: no 500, no partial rows, every refusal names a field."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.core.extensions import db, limiter
from portal.core.forms import PortalForm
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
# A group of radio buttons or tick boxes is named by its fieldset's legend.
LEGEND_FOR = re.compile(r'<fieldset\b[^>]*\bid="([\w-]+)"[^>]*>\s*<legend class="label">')
SUMMARY_LINK = re.compile(r'<a href="#([\w-]+)">([^<:]+): ')


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def hostile_json() -> st.SearchStrategy[object]:
    """What a broken or hostile phone could send in JSON: any type, NaN and huge numbers."""
    return st.one_of(
        hostile_value(),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.one_of(hostile_value(), st.integers()), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )


def form_data(spec: FormSpec, valid: dict[str, object]) -> st.SearchStrategy[dict[str, object]]:
    """Each field valid or hostile, so checks deep in a form are reached too."""
    bad = hostile_json() if spec.method == "JSON" else hostile_value()
    return st.fixed_dictionaries(
        {name: st.one_of(st.just(value), bad) for name, value in valid.items()}
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


def _send(client, spec: FormSpec, url: str, data: dict[str, object]):
    if spec.method == "GET":
        return client.get(url, query_string=data)
    if spec.method == "JSON":
        return client.post(url, json=data, headers={"X-CSRFToken": client.csrf_token()})
    files = {name: (io.BytesIO(str(data[name]).encode()), "upload.csv") for name in spec.files}
    return client.post(url, data={**data, **files, "csrf_token": client.csrf_token()})


def _accepted(spec: FormSpec, response) -> bool:
    if spec.method == "JSON":
        return response.status_code in (200, 201)
    if spec.accepted_text and response.status_code == 200:
        return spec.accepted_text in response.get_data(as_text=True)
    return response.status_code == 302


def _json_refusal_problems(sent: dict[str, object], response) -> list[str]:
    """A refused API post answers 400 with a message for each bad field it names."""
    if response.status_code != 400:
        return [f"status {response.status_code}"]
    errors = (response.get_json(silent=True) or {}).get("errors") or {}
    unknown = sorted(set(errors) - set(sent) - {"body"})
    named = [] if errors else ["refused without naming any field"]
    return named + [f"error names {name!r}, which was not sent" for name in unknown]


def _refusal_problems(spec: FormSpec, page: str) -> list[str]:
    errors = ERROR_ID.findall(page)
    labelled = set(LABEL_FOR.findall(page)) | set(LEGEND_FOR.findall(page))
    # A tick-box group is named by the element carrying its id (the form's hint).
    labelled |= {name for name in spec.grouped if f'id="{name}"' in page}
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
        values = data.draw(form_data(spec, spec.valid(world)))
        before = _row_counts()
        response = _send(client, spec, url, values)
        page = response.get_data(as_text=True)
        assert response.status_code < 500, page[-2000:]
        if _accepted(spec, response):
            return
        if spec.method == "JSON":
            assert _row_counts() == before, "a refused API post changed rows"
            assert _json_refusal_problems(values, response) == [], (values, page[:1500])
            return
        assert response.status_code == 200, response.status_code
        if spec.method == "POST":
            assert _row_counts() == before, "a refused form (or a search) changed rows"
        if not spec.searches or ERROR_ID.search(page):
            assert _refusal_problems(spec, page) == [], (values, page[page.find("<main") :][:1500])

    check()


# Values that broke real systems: NUL (PostgreSQL refuses it in text), a signalling NaN
# (Decimal comparisons raise), an impossible date and a value far over any length limit.
NASTIEST = ["bad\x00value", "sNaN", "2025-02-30", "9" * 5000]


def _named_fields(spec: FormSpec, response) -> list[str]:
    if spec.method == "JSON":
        return list((response.get_json(silent=True) or {}).get("errors") or {})
    return ERROR_ID.findall(response.get_data(as_text=True))


def _nasty_problems(spec: FormSpec, field: str, nasty: str, response, rows_changed: bool):
    where = f"{field}={nasty[:12]!r}"
    refused_status = 400 if spec.method == "JSON" else 200
    if not _accepted(spec, response) and response.status_code != refused_status:
        return [f"{where}: status {response.status_code}"]
    if _accepted(spec, response) or spec.searches or spec.name == "login":
        return []
    named = _named_fields(spec, response)
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
            url = spec.url(world, account)  # may itself make rows (a reset link)
            before = _row_counts()
            response = _send(client, spec, url, values)
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
        method = "POST" if spec.method == "JSON" else spec.method
        rule, _ = adapter.match(spec.url(world, account), method, return_rule=True)
        fuzzed.add(rule.rule)
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posts - fuzzed - BUTTON_ONLY)
    assert missing == [], f"add these forms to tests/security/forms.py: {missing}"
    plain = [f.__qualname__ for f in _subclasses(FlaskForm) if not issubclass(f, PortalForm)]
    assert plain == [], f"these forms should subclass portal.core.forms.PortalForm: {plain}"
