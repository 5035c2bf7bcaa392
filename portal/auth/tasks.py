"""The password-reset email, looked up and sent by the worker so that the request that
asked for it does the same work whatever address was typed."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from portal.audit.events import AuditContext, EventData, build_event
from portal.auth import password_reset
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.jobs import job
from portal.notify.email import Email, absolute_url, deliver, path_for

SUBJECT = "Choose a new password for the IVIG diary"


def _audit(outcome: str, user_id: int | None) -> None:
    event = EventData("password_reset_link", outcome, object_type="users", object_id=user_id)
    db.session.add(build_event(AuditContext(endpoint="system"), event, now_utc()))


@job(retries=3, retry_delay=60)
def send_reset_link(address: str) -> None:
    """Send a link to the account using this address, if there is one and it has not
    had its hourly share of links; audited either way (never the address typed)."""
    user = password_reset.account_for_address(address)
    if user is None:
        return
    now = now_utc()
    per_hour = current_app.config["PASSWORD_RESET_PER_ACCOUNT_HOUR"]
    if password_reset.links_since(user, now - timedelta(hours=1)) >= per_hour:
        _audit("denied", user.id)
        db.session.commit()
        return
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    token = password_reset.issue(user, now, minutes)
    _audit("sent", user.id)
    db.session.commit()
    link = absolute_url(path_for("auth_reset.reset_password", token=token))
    body = (
        "Hello,\n\n"
        "Someone asked to reset the password of your IVIG diary account. To choose a new "
        f"password, open this link within {minutes} minutes:\n\n{link}\n\n"
        "The link works once. If you did not ask, you can ignore this email: your "
        "password stays as it is.\n\nThe IVIG diary\n"
    )
    deliver(Email(user.email, SUBJECT, body))
