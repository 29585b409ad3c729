"""A message counted into the other side's unread notification of the conversation, in
one statement in the common case.

``sendMessage`` is the most frequent write of the API, and its notification went through
``notify`` like every other event: the recipients (one or two SELECTs), the dedupe check,
the merge's ``SELECT … FOR UPDATE`` and its UPDATE, the event's INSERT — five or six
statements beside the message's own two, each a hop to aiosqlite's thread on SQLite.
``bench/chat.py`` fell from 200 msg/s (p99 0.15–0.2 s) to 139 msg/s (p99 6.4 s). Here:

1. ``UPDATE notification SET count = count + 1, … WHERE open_group = ? AND user_id IN
   (<the recipients>) RETURNING *`` counts the message into every recipient's unread
   notification of the conversation. When the row returned is the only recipient there
   can be (the candidate; the employer who started the conversation, while still one of
   the company: ``triggers.company_recipients``' rule), that is all.
2. Otherwise the recipients are read, and ``notify`` writes a new notification for each
   one the UPDATE missed (the first message since they read the last one).
3. One INSERT records the event ``message:<id>:<user>`` of each. A message id is new in
   this very transaction, so the dedupe check ``notify`` makes for other events could not
   find it and is skipped; the unique key still refuses a second record.

The group ``conversation:<id>`` is written only here, and its data is only
``{"seq": <latest>}``, so the UPDATE sets the data whole (``notify`` would merge it into
the same). Call inside the message's transaction.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from models.accounts import Role
from models.chat import Conversation
from models.notifications import Notification, NotificationKind
from resolvers.notifications.commands import notify
from resolvers.statements import is_postgres, placeholders

# Who hears of a message, as SQL (``triggers.candidate_recipients`` and
# ``company_recipients``): the candidate unless deleted; the employer who started the
# conversation while they are one of the company, else every employer of it.
CANDIDATE_RECIPIENTS = 'SELECT u.id FROM "user" u WHERE u.id = ? AND u.deleted_at IS NULL'
COMPANY_RECIPIENTS = (
    'SELECT u.id FROM "user" u WHERE u.company_id = ? AND u.role = ? AND u.deleted_at IS NULL'
    ' AND (u.id = ? OR NOT EXISTS (SELECT 1 FROM "user" p'
    " WHERE p.id = ? AND p.company_id = ? AND p.role = ? AND p.deleted_at IS NULL))"
)
COUNT_UP = (
    "UPDATE notification SET count = count + 1, updated_at = ?, mail_due = ?, data = ?, actor_id = ?"
    " WHERE open_group = ? AND user_id IN ({recipients}) RETURNING *"
)


def group_of(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


async def message_notified(
    conversation: Conversation, *, message_id: int, seq: int, sender_id: int
) -> list[Notification]:
    """Count message ``seq`` (row ``message_id``) of ``conversation``, written by
    ``sender_id``, into the other side's notifications; returns them, to publish after
    commit."""
    connection = connections.get("default")
    if not isinstance(connection, TransactionalDBClient):
        raise RuntimeError("message_notified must be called inside in_transaction()")
    postgres = is_postgres(connection)
    now = datetime.now(timezone.utc)
    group = group_of(conversation.pk)
    if sender_id == conversation.candidate_id:
        only: int | None = conversation.started_by_id
        recipients_sql = COMPANY_RECIPIENTS
        recipients_params: list[object] = [
            conversation.company_id, Role.EMPLOYER.value, only, only, conversation.company_id, Role.EMPLOYER.value,
        ]
    else:
        only = conversation.candidate_id
        recipients_sql = CANDIDATE_RECIPIENTS
        recipients_params = [only]
    data = {"seq": seq}
    rows = await connection.execute_query_dict(
        placeholders(COUNT_UP.format(recipients=recipients_sql), postgres),
        [now, True, json.dumps(data), sender_id, group, *recipients_params],
    )
    notified = [Notification._init_from_db(**row) for row in rows]
    if only is None or only not in {n.user_id for n in notified}:
        counted = {n.user_id for n in notified}
        _, found = await connection.execute_query(placeholders(recipients_sql, postgres), recipients_params)
        for (user_id,) in sorted(tuple(row) for row in found):
            if user_id not in counted:
                written = await notify(
                    user_id, NotificationKind.NEW_MESSAGE, subject_type="Conversation", subject_id=conversation.pk,
                    actor_id=sender_id, group_key=group, data=data,
                )
                if written is not None:
                    notified.append(written)
    if notified:
        values = ", ".join("(?, ?, ?)" for _ in notified)
        params: list[object] = []
        for notification in notified:
            params += [f"message:{message_id}:{notification.user_id}", notification.pk, now]
        await connection.execute_query(
            placeholders(f"INSERT INTO notification_event (dedupe_key, notification_id, created_at) VALUES {values}", postgres),
            params,
        )
    return notified
