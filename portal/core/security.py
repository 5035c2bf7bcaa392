"""Response headers: no caching of health data, a strict content policy, HSTS."""

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

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
