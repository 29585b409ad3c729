"""Reading the outbox."""

from __future__ import annotations

from datetime import datetime, timezone

from models.mail import OutboxMail


async def mail_backlog(now: datetime | None = None) -> int:
    """Mails due and not yet sent or given up on (``/readyz`` shows it)."""
    now = now or datetime.now(timezone.utc)
    return await OutboxMail.filter(sent_at=None, failed_at=None, send_after__lte=now).count()
