"""Writing mails to the outbox."""

from __future__ import annotations

from datetime import datetime, timezone

from models.mail import OutboxMail

MAX_SUBJECT = 300


async def enqueue_mail(
    *,
    kind: str,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
) -> OutboxMail | None:
    """Write one mail to the outbox. Call it inside the transaction of the change that
    causes it (``in_transaction()``): the row commits or rolls back with the change.
    With ``dedupe_key`` a second call for the same event writes nothing and returns
    ``None``."""
    if dedupe_key is not None and await OutboxMail.filter(dedupe_key=dedupe_key).exists():
        return None
    # Two transactions racing on one key: the unique index refuses the second, which
    # then fails as a whole (on PostgreSQL a caught error would poison the transaction).
    return await OutboxMail.create(
        kind=kind,
        dedupe_key=dedupe_key,
        to_address=to_address,
        subject=subject[:MAX_SUBJECT],
        body_text=body_text,
        body_html=body_html,
        send_after=send_after or datetime.now(timezone.utc),
    )
