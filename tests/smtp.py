"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, or refuses it."""

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps each message, or answers every DATA with `refusal`."""

    def __init__(self):
        self.messages: list[Message] = []
        self.refusal: str | None = None
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refusal:
            return self.refusal
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_server() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


def body_of(message: Message) -> str:
    return message.get_payload(decode=True).decode()
