"""Email: one message built from plain words and a link, sent by SMTP or kept in the outbox.

Messages carry no health data: callers pass a subject and a body that name the portal
and a link, never a value from a diary. Delivery goes to `MAIL_SERVER` when it is set
(development too); without it, development keeps the message in the outbox
(`portal/notify/outbox.py`) and production refuses to pretend it sent anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_mail import Message

from portal.core.extensions import mail
from portal.notify import outbox


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    # A signed one-click unsubscribe URL (RFC 8058) for messages a family can switch off.
    unsubscribe_url: str | None = None


def path_for(endpoint: str, **values: object) -> str:
    """The portal's path for an endpoint, outside any request (a job builds links too)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute_url(path: str) -> str:
    """A link for a message: PORTAL_BASE_URL and the portal's own path."""
    return current_app.config["PORTAL_BASE_URL"].rstrip("/") + path


def build_message(email: Email) -> Message:
    headers: dict[str, str] = {"Auto-Submitted": "auto-generated"}
    if email.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Message(
        subject=email.subject, recipients=[email.to], body=email.body, extra_headers=headers
    )


def deliver(email: Email) -> None:
    """Send now (a job calls this; a request enqueues `notify.tasks.send_email`)."""
    message = build_message(email)
    if current_app.config.get("MAIL_SERVER"):
        mail.send(message)
    elif current_app.config.get("MAIL_OUTBOX"):
        outbox.keep(message, current_app.instance_path)
    else:
        raise RuntimeError("MAIL_SERVER is not set, so no email can be sent")
