"""The role layer of authorisation; per-object checks live in each feature's permissions."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from portal.audit.trail import audit_denied
from portal.auth.models import Role


def role_required(*roles: Role) -> Callable:
    """Allow only logged-in users holding one of the roles; others get a 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role_enum not in roles:
                audit_denied("page", None)
                abort(404)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access-matrix test
        return wrapped

    return decorator


family_required = role_required(Role.GUARDIAN, Role.CHILD)
guardian_required = role_required(Role.GUARDIAN)
clinician_required = role_required(Role.CLINICIAN)
admin_required = role_required(Role.ADMIN)
staff_required = role_required(Role.CLINICIAN, Role.ADMIN)
