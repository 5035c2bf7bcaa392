"""Hypothesis over every query parameter and JSON field of every route: never a 500.

Values cover depth (nested JSON, repeated parameters), size (long text, 401-digit
numbers), number range (huge, negative, NaN, infinities, exponents), dates at and
past the calendar's ends, and unicode of every plane, lone surrogates included
(in JSON as "\\ud800"; in a query string as the bytes a broken client sends).

The runs are deterministic (derandomize, no example database). FUZZ_EXAMPLES sets
the examples per route: 50 in an ordinary `make test`, 2,000 in CI's fuzz step
(`make fuzz`), on SQLite and again on PostgreSQL.
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from urllib.parse import quote_from_bytes

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from portal.core.extensions import limiter
from tests.security.access_matrix import MATRIX
from tests.security.conftest import ACTORS, log_in
from tests.security.fuzz_spec import APP_WIDE_PARAMETERS, JSON_FIELDS, QUERY_PARAMETERS
from tests.security.walk import url_for_rule

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# ---------------------------------------------------------------- value strategies

ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e21",
        "1e308",
        "-1e308",
        "1e-400",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "9" * 401,
        "-" + "9" * 401,
        "0x1f",
        "²",
        "١٢٣",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2024-02-30",
        "2025-13-01",
        "31/12/2025",
        "2025-03-14T25:00",
        "\x00",
        "\r\nX-Evil: 1",
        "/\\evil.example",
        "//evil.example",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%",
        "%%00",
        "a" * 5000,
    ]
)
NUMBER_TEXT = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
)
TEXT_VALUE = st.one_of(
    HOSTILE_TEXT, NUMBER_TEXT, st.text(ANY_CHARACTER, max_size=300), st.text(max_size=3000)
)


def _encoded(value: str) -> str:
    """Percent-encoded UTF-8; a lone surrogate goes as the bytes a broken client would send."""
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


RAW_BYTES = st.binary(max_size=200).map(lambda b: quote_from_bytes(b, safe=""))
QUERY_VALUE = st.one_of(TEXT_VALUE.map(_encoded), RAW_BYTES)


def query_strings(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A query string of the route's parameters (repeated, missing) and some unknown ones."""
    known = st.sampled_from(names) if names else st.nothing()
    name = st.one_of(known, known, st.text(ANY_CHARACTER, min_size=1, max_size=20))
    pair = st.tuples(name.map(_encoded), QUERY_VALUE)
    return st.lists(pair, max_size=12).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT_VALUE,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def json_bodies(fields: frozenset[str]) -> st.SearchStrategy[str]:
    """Bodies of the API's writes: their fields with any JSON, unknown ones, or no object."""
    field = st.one_of(st.sampled_from(sorted(fields)), st.text(ANY_CHARACTER, max_size=20))
    good_start = st.fixed_dictionaries(
        {"client_id": st.uuids().map(str), "date": st.sampled_from(["2026-11-30", "TODAY"])}
    )
    entry = st.tuples(good_start, st.dictionaries(field, JSON_VALUE, max_size=8)).map(
        lambda parts: {**parts[0], **parts[1]}
    )
    as_text = entry.map(lambda value: json.dumps(value, allow_nan=True))
    deep = st.integers(min_value=1, max_value=60_000).map(_nested)
    deep_field = st.tuples(st.sampled_from(sorted(fields)), st.integers(1, 3000)).map(
        lambda pair: '{"%s": %s}' % (pair[0], _nested(pair[1]))  # noqa: UP031
    )
    scalar_bodies = JSON_VALUE.map(lambda value: json.dumps(value, allow_nan=True))
    broken = st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
    return st.one_of(as_text, as_text, as_text, deep, deep_field, scalar_bodies, broken)


# ---------------------------------------------------------------- who calls what


def _callers(rule: str, method: str) -> list[str]:
    """The actors this route serves (a 200 in the access matrix), or anyone who may call it."""
    outcomes = MATRIX[(rule, method)]
    served = [actor for actor in ACTORS if outcomes[actor] == 200]
    return served or [actor for actor in ACTORS if outcomes[actor] != 404][:2] or ["anonymous"]


@pytest.fixture
def clients(app, world):
    """One logged-in client per actor, made once for all the examples of a test."""
    return {name: log_in(app, world.users.get(name)) for name in ACTORS}


def _rule(app, path: str):
    return next(r for r in app.url_map.iter_rules() if r.rule == path)


def _check(response, what: str) -> None:
    response.get_data()
    response.close()
    assert response.status_code < 500, what


@pytest.mark.parametrize("path", sorted(QUERY_PARAMETERS))
def test_no_query_string_makes_a_route_fail(app, world, clients, path):
    rule = _rule(app, path)
    base = url_for_rule(app, rule, world.url_values())
    callers = _callers(path, "GET")
    tokens = {}

    @FUZZ_SETTINGS
    @given(actor=st.sampled_from(callers), query=query_strings(QUERY_PARAMETERS[path]))
    def fuzz(actor: str, query: str) -> None:
        limiter.reset()
        client = clients[actor]
        url = f"{base}?{query}"
        _check(client.get(url), f"{actor} GET {url[:300]}")
        if path in ("/login", "/login/code"):  # the forms there post to the same address
            token = tokens.setdefault(actor, client.csrf_token())
            _check(client.post(url, data={"csrf_token": token}), f"{actor} POST {url[:300]}")

    fuzz()


@pytest.mark.parametrize(("path", "method"), sorted(JSON_FIELDS))
def test_no_json_body_makes_an_api_write_fail(app, world, clients, path, method):
    rule = _rule(app, path)
    url = url_for_rule(app, rule, world.url_values())
    callers = _callers(path, method)
    tokens = {actor: clients[actor].csrf_token() for actor in callers}
    today = world.records.entry.entry_date.isoformat()

    @FUZZ_SETTINGS
    @given(actor=st.sampled_from(callers), body=json_bodies(JSON_FIELDS[(path, method)]))
    def fuzz(actor: str, body: str) -> None:
        limiter.reset()
        headers = {"X-CSRFToken": tokens[actor], "Content-Type": "application/json"}
        data = body.replace('"TODAY"', f'"{today}"').encode("utf-8", "surrogatepass")
        response = clients[actor].open(url, method=method, data=data, headers=headers)
        _check(response, f"{actor} {method} {url} {body[:300]!r}")

    fuzz()


# ---------------------------------------------------------------- the list is complete


class _RecordingArgs(MultiDict):
    """A query string that remembers every name a view looks up."""

    read: set[str] = set()

    def get(self, key, *args, **kwargs):
        self.read.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        self.read.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


class _RecordingRequest(Request):
    @cached_property
    def args(self):  # type: ignore[override]
        return _RecordingArgs(super().args)


def test_every_query_parameter_a_view_reads_is_fuzzed(app, world, clients, monkeypatch):
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    values = world.url_values()
    missing = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = url_for_rule(app, rule, values)
        for actor in _callers(rule.rule, "GET"):
            _RecordingArgs.read = set()
            clients[actor].get(url + "?next=%2F").close()
            fuzzed = {*QUERY_PARAMETERS.get(rule.rule, ()), *APP_WIDE_PARAMETERS}
            read = _RecordingArgs.read - fuzzed
            if read:
                missing[rule.rule] = sorted(read)
    assert missing == {}, f"parameters read but not fuzzed (add them to fuzz_spec.py): {missing}"
    assert set(QUERY_PARAMETERS) <= {r.rule for r in app.url_map.iter_rules()}
