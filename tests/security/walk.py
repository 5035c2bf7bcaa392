"""Walking every route of the app with a client: URLs, requests and what came back."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import Flask, url_for
from werkzeug.routing import Rule

METHODS = ("GET", "POST")
# Logging out ends the walker's session, so it goes last.
LAST = {"/logout", "/account/logout-everywhere"}


def _order(pair: tuple[Rule, str]) -> tuple[int, str, str]:
    """Deleting posts go after every other route (the pages of what they delete come
    first), and logging out after them."""
    rule, method = pair
    deleting = method == "POST" and rule.rule.endswith("/delete")
    return (2 if rule.rule in LAST else 1 if deleting else 0), rule.rule, method


def routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) pair a user can call, deletions and then logout last."""
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in METHODS
        if method in rule.methods
    ]
    return sorted(pairs, key=_order)


def url_for_rule(app: Flask, rule: Rule, values: dict[str, object]) -> str:
    """The URL of this rule with the world's values for its parameters."""
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def call(client, method: str, url: str, token: str):
    """GET the URL, or POST it with nothing but a valid CSRF token."""
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def outcome(response) -> int | str:
    """The status, with redirects told apart: 'login' or 'redirect'."""
    if response.status_code in (301, 302, 303):
        path = urlsplit(response.headers["Location"]).path
        return "login" if path == "/login" else "redirect"
    return response.status_code


def walk(app: Flask, client, values: dict[str, object]) -> Iterator[tuple[Rule, str, object]]:
    """Call every route once with this client; yields (rule, method, response)."""
    token = client.csrf_token()
    for rule, method in routes(app):
        url = url_for_rule(app, rule, values)
        response = call(client, method, url, token)
        response.get_data()  # read it whole, so a static file is closed at once
        response.close()
        yield rule, method, response
