"""Jobs that send messages (run by the worker; at once in tests)."""

from __future__ import annotations

from portal.core.jobs import job
from portal.notify.email import Email, deliver


@job(retries=3, retry_delay=60)
def send_email(to: str, subject: str, body: str, unsubscribe_url: str | None = None) -> None:
    deliver(Email(to, subject, body, unsubscribe_url))
