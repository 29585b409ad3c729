"""The mail outbox: written in the change's transaction, sent once through a real SMTP
server (aiosmtpd in-process), retried with backoff, never lost when a sender dies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from graph.settings import Settings, SettingsError
from models.mail import OutboxMail
from resolvers.mail import MailMessage, MailSender, enqueue_mail, transport_for
from resolvers.mail.queries import mail_backlog
from tests.conftest import base_settings
from tests.mailserver import SmtpTestServer, smtp_server


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, mail_sender="off")


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def db(app: object) -> AsyncIterator[None]:
    yield None  # the app's lifespan opened the database


def sender_for(server: SmtpTestServer, **options: object) -> MailSender:
    return MailSender(transport_for(server.url, timeout=5), sender_address="OpenForWork <no-reply@test.local>", **options)  # type: ignore[arg-type]


async def queue(n: int, prefix: str = "mail") -> None:
    for i in range(n):
        await enqueue_mail(kind="test", to_address=f"{prefix}{i}@example.com", subject=f"{prefix} {i}", body_text=f"body {i}")


async def test_a_mail_exists_only_if_the_change_that_caused_it_committed(db: None) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await enqueue_mail(kind="test", to_address="a@example.com", subject="rolled back", body_text="x")
            raise RuntimeError("the change failed")
    async with in_transaction():
        await enqueue_mail(kind="test", to_address="a@example.com", subject="committed", body_text="x")
    assert [m.subject for m in await OutboxMail.all()] == ["committed"]


async def test_a_dedupe_key_writes_one_mail_for_one_event(db: None) -> None:
    first = await enqueue_mail(kind="test", to_address="a@example.com", subject="s", body_text="x", dedupe_key="event:1")
    second = await enqueue_mail(kind="test", to_address="a@example.com", subject="s", body_text="x", dedupe_key="event:1")
    assert first is not None and second is None
    assert await OutboxMail.all().count() == 1


async def test_the_sender_delivers_through_smtp_once(db: None, smtp: SmtpTestServer) -> None:
    await enqueue_mail(
        kind="confirm_email", to_address="ada@example.com", subject="Your code", body_text="Code: 123456",
        body_html="<p>Code: <b>123456</b></p>",
    )
    sender = sender_for(smtp)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0
    [mail] = smtp.messages
    assert mail["To"] == "ada@example.com" and mail["Subject"] == "Your code"
    assert mail["From"] == "OpenForWork <no-reply@test.local>"
    row = await OutboxMail.get()
    assert mail["Message-ID"] == f"<ofw-{row.pk}.{int(row.created_at.timestamp())}@openforwork.local>"
    assert "123456" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<b>123456</b>" in mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert row.sent_at is not None and row.attempts == 1 and row.claimed_until is None
    assert await mail_backlog() == 0


async def test_two_senders_racing_send_every_mail_exactly_once(db: None, smtp: SmtpTestServer) -> None:
    await queue(60)
    senders = [sender_for(smtp, batch_size=7) for _ in range(3)]

    async def drain(sender: MailSender) -> int:
        total = 0
        while sent := await sender.run_once():
            total += sent
        return total

    counts = await asyncio.gather(*(drain(s) for s in senders))
    assert sum(counts) == 60
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"mail{i}@example.com" for i in range(60))
    assert await OutboxMail.filter(sent_at=None).count() == 0


class StallingTransport:
    """Delivers through SMTP, but hangs forever on the nth mail: a sender killed mid-batch."""

    def __init__(self, server: SmtpTestServer, stall_at: int) -> None:
        self.inner = transport_for(server.url, timeout=5)
        self.calls = 0
        self.stall_at = stall_at
        self.stalled = asyncio.Event()

    async def send(self, message: MailMessage) -> None:
        self.calls += 1
        if self.calls == self.stall_at:
            self.stalled.set()
            await asyncio.Event().wait()
        await self.inner.send(message)


async def test_a_killed_sender_loses_nothing_and_sends_nothing_twice(db: None, smtp: SmtpTestServer) -> None:
    await queue(10)
    transport = StallingTransport(smtp, stall_at=4)
    doomed = MailSender(transport, sender_address="no-reply@test.local", lease_seconds=60)
    task = asyncio.create_task(doomed.run_once())
    await transport.stalled.wait()
    task.cancel()  # killed while sending the 4th mail: 3 sent, 7 still claimed by it
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(smtp.messages) == 3
    assert await OutboxMail.filter(sent_at=None, claimed_by=doomed.name).count() == 7

    survivor = sender_for(smtp)
    assert await survivor.run_once() == 0, "the dead sender's lease still holds"
    later = datetime.now(timezone.utc) + timedelta(seconds=61)
    assert await survivor.run_once(now=later) == 7
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"mail{i}@example.com" for i in range(10))
    assert len({m["Message-ID"] for m in smtp.messages}) == 10


async def test_a_temporary_refusal_is_retried_with_backoff(db: None, smtp: SmtpTestServer) -> None:
    await queue(1)
    smtp.refuse_next(451, "Try again later", times=2)
    sender = sender_for(smtp, base_delay_seconds=30)
    assert await sender.run_once() == 0
    row = await OutboxMail.get()
    assert row.attempts == 1 and row.sent_at is None and row.failed_at is None
    assert "451" in (row.last_error or "")
    first_retry = row.send_after
    assert first_retry - datetime.now(timezone.utc) > timedelta(seconds=25)
    assert await sender.run_once() == 0, "not due yet"

    assert await sender.run_once(now=first_retry + timedelta(seconds=1)) == 0
    row = await OutboxMail.get()
    assert row.attempts == 2 and row.send_after - first_retry > timedelta(seconds=55), "the delay doubles"

    assert await sender.run_once(now=row.send_after + timedelta(seconds=1)) == 1
    assert len(smtp.messages) == 1
    row = await OutboxMail.get()
    assert row.sent_at is not None and row.last_error is None and row.attempts == 3


async def test_a_permanent_refusal_fails_the_mail_without_retrying(db: None, smtp: SmtpTestServer) -> None:
    await queue(1)
    smtp.refuse_next(550, "No such user")
    sender = sender_for(smtp)
    assert await sender.run_once() == 0
    row = await OutboxMail.get()
    assert row.failed_at is not None and "550" in (row.last_error or "")
    assert await sender.run_once(now=datetime.now(timezone.utc) + timedelta(days=1)) == 0
    assert smtp.messages == []


async def test_an_unreachable_server_gives_up_after_max_attempts(db: None) -> None:
    await queue(1)
    sender = MailSender(transport_for("smtp://127.0.0.1:9?starttls=0", timeout=2), sender_address="x@test.local", max_attempts=3, base_delay_seconds=1)
    now = datetime.now(timezone.utc)
    for step in range(3):
        await sender.run_once(now=now + timedelta(hours=step))
    row = await OutboxMail.get()
    assert row.attempts == 3 and row.failed_at is not None and row.sent_at is None


async def test_the_folder_transport_writes_one_eml_per_mail(db: None, tmp_path: Path) -> None:
    await queue(2)
    sender = MailSender(transport_for(f"file://{tmp_path / 'mail'}"), sender_address="x@test.local")
    assert await sender.run_once() == 2
    files = sorted(p.name for p in (tmp_path / "mail").iterdir())
    assert len(files) == 2 and all(name.endswith(".eml") for name in files)


def test_email_url_is_checked_at_start_up() -> None:
    assert Settings.from_env({"EMAIL_URL": "smtp://mail.example.com:587"}).email_url == "smtp://mail.example.com:587"
    assert Settings.from_env({}).email_url == "log://"
    for bad in ("http://mail.example.com", "smtp://", "mail.example.com"):
        with pytest.raises(SettingsError, match="EMAIL_URL"):
            Settings.from_env({"EMAIL_URL": bad})
