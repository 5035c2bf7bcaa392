"""Signals by which the core tells the features what happened, without importing them."""

from blinker import Namespace

_signals = Namespace()

# A form came back without its CSRF token (or with a stale one); the audit trail listens.
csrf_refused = _signals.signal("csrf-refused")
