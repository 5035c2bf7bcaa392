"""Security headers on every answer of every route, and the cookie flags."""

from __future__ import annotations

from config import DevelopmentConfig, TestingConfig
from tests import factories as make
from tests.factories import PASSWORD
from tests.security.walk import walk

WALKERS = ("anonymous", "guardian_a", "clinician_1", "admin")


def _csp(headers) -> dict[str, str]:
    policy = headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def _problems(path: str, response) -> list[str]:
    headers = response.headers
    csp = _csp(headers)
    found = []
    if "'unsafe-inline'" in csp.get("script-src", "") or "'unsafe-eval'" in csp.get(
        "script-src", ""
    ):
        found.append("script-src allows inline or eval")
    for directive, value in (
        ("script-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("frame-ancestors", "'none'"),
    ):
        if csp.get(directive) != value:
            found.append(f"{directive} is {csp.get(directive)!r}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    }
    found += [f"{k}: {headers.get(k)!r}" for k, v in expected.items() if headers.get(k) != v]
    if not path.startswith("/static/") and headers.get("Cache-Control") != "no-store":
        found.append(f"Cache-Control: {headers.get('Cache-Control')!r}")
    return found


def test_every_route_answers_with_the_security_headers_for_every_kind_of_user(
    app, world, actor_clients
):
    problems = []
    for actor in WALKERS:
        for rule, method, response in walk(app, actor_clients[actor], world.url_values()):
            problems += [
                f"{actor} {method} {rule.rule} ({response.status_code}): {problem}"
                for problem in _problems(rule.rule, response)
            ]
    assert not problems, "\n" + "\n".join(problems)


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert _problems("/no/such/page", response) == []


def test_development_over_plain_http_sends_no_hsts(tmp_path, other_app):
    app = other_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'd.db'}")
    response = app.test_client().get("/healthz")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


class ProductionLike(TestingConfig):
    """Production's cookie flags on the test database."""

    SESSION_COOKIE_SECURE = True


def test_session_cookie_is_secure_httponly_samesite_lax_and_no_remember_me(app, other_app):
    secure_app = other_app(
        ProductionLike, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    user = make.user("guardian")
    client = secure_app.test_client()
    page = client.get("/login", base_url="https://portal.test")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    response = client.post(
        "/login",
        base_url="https://portal.test",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token.split('"')[0]},
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    flags = {part.strip().lower() for part in session_cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert not any(c.startswith("remember_token") for c in cookies)
    assert ProductionLike.REMEMBER_COOKIE_DURATION.total_seconds() == 0
