"""A real SMTP server for tests: aiosmtpd in a thread, recording every mail it accepts.

    with smtp_server() as server:
        settings = base_settings(url, email_url=server.url)
        ...
        mail = await server.wait_for(lambda m: m["To"] == "ada@example.com")

``server.refuse_next(code, text, times)`` makes the next DATA commands fail (451 for a
temporary failure, 550 for a permanent one).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self._refusals: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self._refusals:
                return self._refusals.pop(0)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpTestServer:
    def __init__(self, controller: Controller, handler: RecordingHandler) -> None:
        self.controller = controller
        self.handler = handler
        self.url = f"smtp://{controller.hostname}:{controller.port}?starttls=0"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def refuse_next(self, code: int, text: str, times: int = 1) -> None:
        with self.handler.lock:
            self.handler._refusals.extend([f"{code} {text}"] * times)

    async def wait_for(self, predicate: Callable[[EmailMessage], bool], timeout: float = 10.0) -> EmailMessage:
        """The first accepted mail matching ``predicate``: waits for the fact (the server
        accepted it), checking every 20 ms, up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            await asyncio.sleep(0.02)
        raise AssertionError(f"no matching mail within {timeout}s; got {[m['Subject'] for m in self.messages]}")


@contextlib.contextmanager
def smtp_server() -> Iterator[SmtpTestServer]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SmtpTestServer(controller, handler)
    finally:
        controller.stop()
