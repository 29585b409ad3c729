"""The mail sender: claims due outbox rows with a lease, sends them, marks them sent.

Exactly once, and what that rests on:

- **One sender per row.** A row is claimed by a conditional UPDATE (``sent_at`` and
  ``failed_at`` null, lease free or expired); the database lets exactly one sender win,
  on SQLite and PostgreSQL, whatever the number of workers or hosts. No row is sent
  without being claimed first.
- **Only the claimer marks it.** ``sent_at`` is set ``WHERE claimed_by = <this sender>``
  right after the SMTP server accepted the mail. The lease (``lease_seconds``, 120 s by
  default) is four times the SMTP timeout, so a live sender always marks before its lease
  ends.
- **Nothing is lost.** A sender killed before marking leaves the row claimed; when the
  lease expires any sender takes it again. The one window in which a mail can be
  delivered twice is a sender killed *between* the server's acceptance and the UPDATE
  (milliseconds); the retry carries the same ``Message-ID`` so receiving servers can drop
  the duplicate.
- **Failures back off.** A temporary failure (connection refused, 4xx) moves
  ``send_after`` forward by ``base_delay * 2**attempts`` (capped at an hour) and frees the
  lease; a 5xx refusal or ``max_attempts`` failures mark the row failed.

With several workers every one may run a sender (``MAIL_SENDER=in-process``, the
default) or one separate process may (``MAIL_SENDER=off`` on the web workers): the
claim makes either safe.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta, timezone

from tortoise.expressions import F, Q

from models.mail import OutboxMail
from resolvers.mail.transports import MailMessage, PermanentMailError, Transport, message_id_for

logger = logging.getLogger("openforwork.mail")

MAX_BACKOFF_SECONDS = 3600


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _sender_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class MailSender:
    def __init__(
        self,
        transport: Transport,
        *,
        sender_address: str,
        message_id_domain: str = "openforwork.local",
        lease_seconds: float = 120.0,
        batch_size: int = 50,
        max_attempts: int = 8,
        base_delay_seconds: float = 30.0,
        poll_seconds: float = 2.0,
        name: str | None = None,
    ) -> None:
        self.transport = transport
        self.sender_address = sender_address
        self.message_id_domain = message_id_domain
        self.lease = timedelta(seconds=lease_seconds)
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.base_delay_seconds = base_delay_seconds
        self.poll_seconds = poll_seconds
        self.name = name or _sender_name()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll (after an enqueue)."""
        self._wake.set()

    async def claim(self, now: datetime | None = None) -> list[OutboxMail]:
        """Claim up to ``batch_size`` due rows for this sender; returns the rows won."""
        now = now or _now()
        free = Q(claimed_until=None) | Q(claimed_until__lt=now)
        due = OutboxMail.filter(free, sent_at=None, failed_at=None, send_after__lte=now)
        candidates: list[int] = list(
            await due.order_by("send_after", "id").limit(self.batch_size).values_list("id", flat=True)  # type: ignore[arg-type]  # flat=True yields the ids themselves
        )
        won: list[int] = []
        for outbox_id in candidates:
            # The conditional UPDATE is the claim: one sender changes the row, others see 0.
            changed = await OutboxMail.filter(free, id=outbox_id, sent_at=None, failed_at=None).update(
                claimed_by=self.name, claimed_until=now + self.lease
            )
            if changed:
                won.append(outbox_id)
        if not won:
            return []
        return list(await OutboxMail.filter(id__in=won, claimed_by=self.name).order_by("id"))

    def _message(self, row: OutboxMail) -> MailMessage:
        return MailMessage(
            message_id=message_id_for(row.pk, int(row.created_at.timestamp()), self.message_id_domain),
            sender=self.sender_address,
            to_address=row.to_address,
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
        )

    async def send_one(self, row: OutboxMail, now: datetime | None = None) -> bool:
        """Send a claimed row (a retry is scheduled from ``now``); True when it was sent."""
        try:
            await self.transport.send(self._message(row))
        except PermanentMailError as exc:
            await self._give_up(row, str(exc))
            return False
        except Exception as exc:  # network, 4xx, timeouts: try again later
            await self._retry(row, f"{type(exc).__name__}: {exc}", now or _now())
            return False
        await OutboxMail.filter(id=row.pk, claimed_by=self.name).update(
            sent_at=_now(), claimed_until=None, attempts=F("attempts") + 1, last_error=None
        )
        return True

    async def _retry(self, row: OutboxMail, error: str, now: datetime) -> None:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            await self._give_up(row, error)
            return
        delay = min(self.base_delay_seconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
        logger.warning("mail %s attempt %s failed, retry in %.0fs: %s", row.pk, attempts, delay, error)
        await OutboxMail.filter(id=row.pk, claimed_by=self.name).update(
            attempts=attempts, last_error=error[:500], claimed_by=None, claimed_until=None,
            send_after=now + timedelta(seconds=delay),
        )

    async def _give_up(self, row: OutboxMail, error: str) -> None:
        logger.error("mail %s (%s) failed for good: %s", row.pk, row.kind, error)
        await OutboxMail.filter(id=row.pk, claimed_by=self.name).update(
            attempts=F("attempts") + 1, last_error=error[:500], failed_at=_now(), claimed_until=None
        )

    async def run_once(self, now: datetime | None = None) -> int:
        """Claim and send one batch (due at ``now``); returns how many were sent."""
        sent = 0
        for row in await self.claim(now):
            sent += await self.send_one(row, now)
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set: a batch, then wait for a wake-up or the poll."""
        while not stop.is_set():
            try:
                while await self.run_once():
                    if stop.is_set():
                        return
            except Exception:  # the database went away for a moment: poll again later
                logger.exception("mail sender: claiming failed")
            self._wake.clear()
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            _done, pending = await asyncio.wait(waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
