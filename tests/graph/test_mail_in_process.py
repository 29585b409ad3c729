"""The app runs a mail sender in-process by default: a mail written to the outbox
reaches a real SMTP server without anything else running; ``/readyz`` shows the backlog."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from graph.settings import Settings
from resolvers.mail import enqueue_mail
from tests.conftest import base_settings
from tests.mailserver import SmtpTestServer, smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def settings(database_url: str, smtp: SmtpTestServer) -> Settings:
    return base_settings(database_url, email_url=smtp.url)


async def test_an_outbox_mail_is_delivered_by_the_app_itself(app: object, http: httpx.AsyncClient, smtp: SmtpTestServer) -> None:
    await enqueue_mail(kind="test", to_address="ada@example.com", subject="Hello", body_text="from the outbox")
    mail = await smtp.wait_for(lambda m: m["To"] == "ada@example.com")
    assert mail["Subject"] == "Hello"
    # the sender marks the row sent just after the SMTP server accepted it: wait for that
    for _ in range(200):
        ready = (await http.get("/readyz")).json()
        if ready["mailBacklog"] == 0:
            break
        await asyncio.sleep(0.05)
    assert ready["status"] == "ready" and ready["mailBacklog"] == 0
