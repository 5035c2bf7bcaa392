"""Response headers: no caching of health data, a strict content policy, HSTS."""

from urllib.parse import urlencode

from flask import Flask, Response, abort, current_app, redirect, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.core.text_rules import has_control_characters

# Scripts and styles come only from our own files: no inline script, no eval,
# no plugins, no <base> rewriting, no framing by other sites.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def apply_security_headers(response: Response) -> Response:
    """Headers every answer carries; static files alone may be cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    hsts = current_app.config.get("HSTS_SECONDS", 0)
    if hsts:
        headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")

    if not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host only from the configured number of proxies."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _unusable_next(value: str) -> bool:
    """A `next` that no redirect may carry: line breaks, controls, or spaces in it."""
    return has_control_characters(value) or any(c in value for c in "\r\n\t ")


def refuse_unsafe_next():
    """before_request: a `next=` holding a line break is dropped (GET) or refused (400).

    The login view follows `next` only to a local path; a CR/LF in it would reach
    the Location header, which Werkzeug refuses with an exception (a 500). Dropping
    it here keeps a damaged link usable and never lets it near a header.
    """
    values = request.args.getlist("next")
    if request.url_rule is None or not any(_unusable_next(v) for v in values):
        return None
    if request.method in ("GET", "HEAD"):
        kept = [(k, v) for k, v in request.args.items(multi=True) if k != "next"]
        path = "/" + request.path.lstrip("/\\")  # never "//host": that would leave the site
        return redirect(path + (f"?{urlencode(kept)}" if kept else ""))
    abort(400)
