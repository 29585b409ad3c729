"""The common case of ``send_message`` in two statements: one conditional UPDATE, one INSERT.

A participant writing into an accepted conversation is by far the most frequent write of
the API. Checked one by one it cost seven reads before the write (conversation, company,
profile, block by company, block by domain, rate count, idempotency key) — each a thread
hop on SQLite. Here every one of those rules is a condition of the UPDATE that allocates
the ``seq``::

    UPDATE conversation SET last_seq = last_seq + 1, <side>_read_seq = last_seq + 1, …
     WHERE id = ?
       AND <the write rule: access.writable_condition>   -- takes part, status ACCEPTED, and
                                                         -- (company side) a candidate with a
                                                         -- profile that does not block it
       AND <fewer than the limit of the sender's messages in the last minute>
       AND <no message of this sender with this clientMessageId yet>
    RETURNING *

then ``INSERT INTO message … RETURNING id`` and the other side's notification
(``resolvers/notifications/triggers``), all in one transaction. The UPDATE takes
the row lock (PostgreSQL) or the writer lock (SQLite) exactly like ``append_message``, so
``seq`` stays gapless and ordered. The rate count runs on the index
``(sender_id, created_at)`` and stops at the limit. On PostgreSQL the transaction first
locks the sender's ``user`` row (``SELECT … FOR NO KEY UPDATE``): two messages of one sender, in
two conversations or on two workers, would otherwise both count the rows committed before
either, and 90 parallel sends with a limit of 60 stored 69. SQLite runs one write
transaction at a time per process (and serves one process).

When the UPDATE matches nothing, nothing changed, and ``send_message`` takes the checked
path that reads each rule on its own and answers the precise error (not found, not
accepted, declined, rate limited, the original message for a repeated key) — or, for a
candidate replying to a request, accepts it. Both engines support ``UPDATE … RETURNING``
(SQLite since 3.35).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.accounts import User
from models.chat import Conversation, Message, MessageKind
from models.notifications import Notification
from resolvers.chat.access import READ_SEQ_COLUMN, Side, own_side, writable_condition
from resolvers.notifications.triggers import message_posted
from resolvers.statements import is_postgres, placeholders, point_statements


def update_sql(side: Side, with_key: bool) -> str:
    """The UPDATE for a writer on ``side``. Parameters: now, the conversation id, the
    writer's party id (``writable_condition``), the sender id, the start of the rate
    window, the limit twice, and with ``with_key`` the sender id and the key."""
    key = (
        " AND NOT EXISTS (SELECT 1 FROM message k WHERE k.sender_id = ? AND k.client_message_id = ?)"
        if with_key
        else ""
    )
    return (
        f"UPDATE conversation SET last_seq = last_seq + 1, {READ_SEQ_COLUMN[side]} = last_seq + 1, last_activity_at = ?"
        f" WHERE id = ? AND {writable_condition(side)}"
        " AND (SELECT COUNT(*) FROM (SELECT 1 FROM message r WHERE r.sender_id = ? AND r.created_at >= ? LIMIT ?) recent) < ?"
        f"{key} RETURNING *"
    )


LOCK_SENDER_SQL = 'SELECT id FROM "user" WHERE id = $1 FOR NO KEY UPDATE'
INSERT_SQL = (
    "INSERT INTO message (conversation_id, seq, sender_id, kind, body, client_message_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


@point_statements
async def try_send(
    sender: User,
    conversation_id: int,
    body: str,
    client_message_id: str | None,
    *,
    now: datetime,
    per_minute: int,
) -> tuple[Message, Conversation, list[Notification]] | None:
    """Append a USER message when every rule holds, with the other side's notification
    (``resolvers.notifications.triggers``); ``None`` (nothing changed) otherwise."""
    found = own_side(sender)
    if found is None:
        return None
    side, party = found
    postgres = is_postgres()
    params: list[object] = [now, conversation_id, party]
    params += [sender.pk, now - timedelta(seconds=60), per_minute, per_minute]
    if client_message_id is not None:
        params += [sender.pk, client_message_id]
    async with in_transaction() as connection:
        if postgres:
            # The rate count below must see every message of this sender that another
            # transaction (another conversation, another worker) committed: lock the
            # sender's row first, so the UPDATE's statement snapshot is taken after them.
            await connection.execute_query(LOCK_SENDER_SQL, [sender.pk])
        rows = await connection.execute_query_dict(
            placeholders(update_sql(side, client_message_id is not None), postgres), params
        )
        if not rows:
            return None
        conversation = Conversation._init_from_db(**rows[0])
        seq = conversation.last_seq
        inserted = await connection.execute_query_dict(
            placeholders(INSERT_SQL, postgres),
            [conversation_id, seq, sender.pk, MessageKind.USER.value, body, client_message_id, now],
        )
        notified = await message_posted(conversation, message_id=inserted[0]["id"], seq=seq, sender_id=sender.pk)
    message = Message._init_from_db(
        id=inserted[0]["id"],
        conversation_id=conversation_id,
        seq=seq,
        sender_id=sender.pk,
        kind=MessageKind.USER.value,
        body=body,
        client_message_id=client_message_id,
        created_at=now,
    )
    return message, conversation, notified
