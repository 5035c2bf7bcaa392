"""Telling JSON callers from browsers when answering an error."""

from flask import request


def wants_json() -> bool:
    """True for API paths and clients that prefer JSON to HTML."""
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"
