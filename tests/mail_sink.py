"""A real SMTP server for the suite (aiosmtpd): every message the portal sends, parsed."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """aiosmtpd's handler: keeps each message's envelope recipients and parsed content."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.everything: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.host, self.port = "", 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(parsed)
            self.everything.append(parsed)
        return "250 Message accepted"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


def start() -> tuple[Controller, Sink]:
    sink = Sink()
    sink.host, sink.port = "127.0.0.1", free_port()
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    return controller, sink


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
