"""Proving it is still you: the current password asked before a sensitive change.

Limited like login: each try is counted before the password is checked, against the
account and the address (REAUTH_LIMIT), so someone holding a stolen session cannot
guess the password through these forms either. A right password gives its try back.
"""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from portal.audit.trail import audit
from portal.auth import throttle
from portal.auth.passwords import verify_password


def password_right(form: FlaskForm, field: Field, message: str) -> bool:
    """Check the password typed in `field`; a wrong one puts `message` on the field."""
    typed = field.data
    if not typed:
        return True  # the field's own validator says it is missing
    if "csrf_token" in form and form.csrf_token.errors:
        return False  # a forged or stale form checks nothing
    tries = throttle.take(*throttle.reauth_budgets(current_user.id))
    if verify_password(current_user.password_hash, typed):
        tries.succeeded()
        return True
    field.errors = [*field.errors, message]
    audit("reauth", "failure", object_type="users", object_id=current_user.id)
    return False
