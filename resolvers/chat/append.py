"""The append primitive: every message of every feature is written by ``append_message``.

Offers and any feature that writes into a conversation use it::

    async with in_transaction():
        message = await append_message(conversation, sender=user, body="…")
        # … other writes of the same transaction …
    await publish_message(broker, message, conversation)   # after commit, never inside

- ``append_message`` allocates the conversation's next ``seq`` atomically with
  ``UPDATE conversation SET last_seq = last_seq + 1 … WHERE id = ?`` followed by a read of
  ``last_seq`` in the same transaction: the UPDATE takes the row lock (PostgreSQL) or
  the single writer lock (SQLite), so concurrent appends to one conversation get 1, 2,
  3 … without gaps or duplicates, and a rolled-back transaction gives its number back.
  It moves the sender's side read position to the new message and ``last_activity_at``
  to now. It must run inside ``in_transaction()`` (``RuntimeError`` otherwise).
- ``post_system_message(conversation, body)``: a ``SYSTEM`` message with no sender
  (inside a transaction too).
- ``publish_message`` (``resolvers/chat/events.py``) announces the message (ids only) on
  the conversation's channels, after the transaction committed.

The common case of sendMessage does the same in one statement (``send_statement.py``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import F

from models.accounts import User
from models.chat import Conversation, Message, MessageKind
from resolvers.chat.access import READ_SEQ_COLUMN, author_side
from resolvers.safety.red_flags import flag_first_contact


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


async def append_message(
    conversation: Conversation,
    *,
    sender: User | None,
    body: str,
    kind: MessageKind = MessageKind.USER,
    client_message_id: str | None = None,
) -> Message:
    """Store a message with the conversation's next ``seq``. Inside a transaction only.

    Raises ``IntegrityError`` when ``(sender, client_message_id)`` already exists (the
    caller's transaction is then rolled back; see ``send_message`` for the re-read)."""
    if not isinstance(connections.get("default"), TransactionalDBClient):
        raise RuntimeError("append_message must be called inside in_transaction()")
    now = utcnow()
    changes: dict[str, Any] = {"last_seq": F("last_seq") + 1, "last_activity_at": now}
    if sender is not None:
        # SQL evaluates every right-hand side with the row's old values: last_seq + 1 is the new seq.
        changes[READ_SEQ_COLUMN[author_side(conversation, sender.pk)]] = F("last_seq") + 1
    await Conversation.filter(id=conversation.pk).update(**changes)
    row = await Conversation.filter(id=conversation.pk).values(
        "last_seq", "candidate_read_seq", "company_read_seq"
    )
    seq = row[0]["last_seq"]
    message = await Message.create(
        conversation_id=conversation.pk,
        seq=seq,
        sender_id=sender.pk if sender is not None else None,
        kind=kind,
        body=body,
        client_message_id=client_message_id,
        created_at=now,
    )
    conversation.last_seq = seq
    await flag_first_contact(message, conversation)  # red flags of a first contact (safety)
    conversation.candidate_read_seq = row[0]["candidate_read_seq"]
    conversation.company_read_seq = row[0]["company_read_seq"]
    conversation.last_activity_at = now
    return message


async def post_system_message(conversation: Conversation, body: str) -> Message:
    """A ``SYSTEM`` message (no sender) in ``conversation``. Inside a transaction only."""
    return await append_message(conversation, sender=None, body=body, kind=MessageKind.SYSTEM)
