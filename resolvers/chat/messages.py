"""Messages: the append primitive every feature uses, sending, reading, typing.

**The primitive** (offers and any feature that writes into a conversation use it)::

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
- ``publish_message`` announces the message (ids only) on the conversation's channels.
  Call it after the transaction committed; a broker failure is logged, never raised —
  subscribers that missed it catch up from the database (``RESYNC``).
- ``post_system_message(conversation, body)``: a ``SYSTEM`` message with no sender
  (inside a transaction too).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import User
from models.chat import Conversation, ConversationStatus, Message, MessageKind
from resolvers.chat.access import Side, conversation_for, side_of
from resolvers.chat.events import channels_of, conversation_event, message_event
from resolvers.chat.send_statement import try_send
from resolvers.errors import Problems, RateLimited, UserErrorCode, UserErrors
from resolvers.profiles.access import is_blocked

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

logger = logging.getLogger("openforwork.chat")

BODY_MAX_LENGTH = 4_000
CLIENT_MESSAGE_ID_MAX_LENGTH = 64
ACCEPTED_NOTICE = "The candidate accepted the contact request."


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- The primitive -------------------------------------------------------------------

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
        side = Side.CANDIDATE if sender.pk == conversation.candidate_id else Side.COMPANY
        # SQL evaluates every right-hand side with the row's old values: last_seq + 1 is the new seq.
        changes["candidate_read_seq" if side == Side.CANDIDATE else "company_read_seq"] = F("last_seq") + 1
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
    conversation.candidate_read_seq = row[0]["candidate_read_seq"]
    conversation.company_read_seq = row[0]["company_read_seq"]
    conversation.last_activity_at = now
    return message


async def post_system_message(conversation: Conversation, body: str) -> Message:
    """A ``SYSTEM`` message (no sender) in ``conversation``. Inside a transaction only."""
    return await append_message(conversation, sender=None, body=body, kind=MessageKind.SYSTEM)


async def publish_events(broker: Publisher, conversation: Conversation, events: list[dict[str, Any]]) -> None:
    """Publish ``events`` on every channel of ``conversation``. After commit only."""
    for event in events:
        try:
            await broker.publish_many(channels_of(conversation), event)
        except Exception:  # committed already: subscribers catch up from the database
            logger.exception("could not publish %s for conversation %s", event.get("type"), conversation.pk)


async def publish_message(broker: Publisher, message: Message, conversation: Conversation | None = None) -> None:
    """Announce a committed message to subscribers (ids only)."""
    if conversation is None or conversation.pk != message.conversation_id:
        conversation = await Conversation.get(id=message.conversation_id)
    await publish_events(broker, conversation, [message_event(conversation.pk, message.pk, message.seq)])


# --- Validation ----------------------------------------------------------------------

def check_body(problems: Problems, body: str, *path: str) -> str:
    """1–4,000 characters, not only whitespace. Stored as sent."""
    if not body or not body.strip():
        problems.add(UserErrorCode.REQUIRED, "The message must not be empty.", *path)
    elif len(body) > BODY_MAX_LENGTH:
        problems.add(
            UserErrorCode.TOO_LONG,
            f"A message has at most {BODY_MAX_LENGTH} characters; this one has {len(body)}.",
            *path,
        )
    return body


def not_found(field: str = "conversationId") -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", [field])


async def check_rate(settings: Settings, sender: User) -> None:
    """At most ``settings.messages_per_minute`` messages per user per minute."""
    since = utcnow() - timedelta(seconds=60)
    sent = await Message.filter(sender_id=sender.pk, created_at__gte=since).count()
    if sent >= settings.messages_per_minute:
        raise RateLimited(
            f"You sent {settings.messages_per_minute} messages in the last minute; wait a moment and send again.",
            retryAfterSeconds=60,
        )


# --- Sending -------------------------------------------------------------------------

async def _original(sender: User, client_message_id: str, conversation_id: int) -> Message | None:
    original = await Message.get_or_none(sender_id=sender.pk, client_message_id=client_message_id)
    if original is not None and original.conversation_id != conversation_id:
        raise UserErrors.single(
            UserErrorCode.DUPLICATE,
            "This clientMessageId was already used for a message in another conversation.",
            ["clientMessageId"],
        )
    return original


async def send_message(
    settings: Settings,
    broker: Publisher,
    sender: User,
    conversation_id: int,
    body: str,
    client_message_id: str | None = None,
) -> tuple[Message, Conversation]:
    """Post ``body`` as ``sender``. Resending the same ``client_message_id`` returns the
    original message and creates nothing, also when the duplicates race.

    The common case (a participant in an accepted conversation, under the rate limit, a
    new key) is one conditional UPDATE and one INSERT (``resolvers/chat/send_statement``);
    anything else falls back to reading each rule on its own."""
    problems = Problems()
    check_body(problems, body, "body")
    if client_message_id is not None and not client_message_id.strip():
        client_message_id = None
    if client_message_id is not None and len(client_message_id) > CLIENT_MESSAGE_ID_MAX_LENGTH:
        problems.add(
            UserErrorCode.TOO_LONG,
            f"clientMessageId has at most {CLIENT_MESSAGE_ID_MAX_LENGTH} characters.",
            "clientMessageId",
        )
    problems.raise_if_any()
    try:
        sent = await try_send(
            sender, conversation_id, body, client_message_id, now=utcnow(), per_minute=settings.messages_per_minute
        )
    except IntegrityError:
        if client_message_id is None:
            raise
        sent = None  # a racing duplicate of this key committed first: the checked path finds it
    if sent is not None:
        message, conversation = sent
        await publish_events(broker, conversation, [message_event(conversation.pk, message.pk, message.seq)])
        return message, conversation
    return await _send_checked(settings, broker, sender, conversation_id, body, client_message_id)


async def _send_checked(
    settings: Settings,
    broker: Publisher,
    sender: User,
    conversation_id: int,
    body: str,
    client_message_id: str | None,
) -> tuple[Message, Conversation]:
    """Every rule read on its own: the precise refusal, the original of a repeated key,
    or a candidate's reply that accepts the contact request."""
    conversation = await conversation_for(sender, conversation_id)
    if conversation is None:
        raise not_found()
    if client_message_id is not None:
        original = await _original(sender, client_message_id, conversation.pk)
        if original is not None:
            return original, conversation
    side = side_of(sender, conversation)
    if side == Side.COMPANY:
        if conversation.status == ConversationStatus.REQUESTED:
            raise UserErrors.single(
                UserErrorCode.CONVERSATION_NOT_ACCEPTED,
                "The candidate has not accepted your contact request yet; wait for their answer.",
                ["conversationId"],
            )
        if conversation.status == ConversationStatus.DECLINED:
            raise UserErrors.single(
                UserErrorCode.CONVERSATION_DECLINED,
                "The candidate declined your contact request; you cannot message them again.",
                ["conversationId"],
            )
        from models.accounts import Company

        company = await Company.get(id=conversation.company_id)
        profile_id = await _profile_id(conversation.candidate_id)
        if profile_id is None or await is_blocked(company, profile_id):
            raise not_found()
    await check_rate(settings, sender)
    accepted = False
    notice: Message | None = None
    try:
        async with in_transaction():
            # Counted again under the sender's row lock (see send_statement): exact under
            # parallel sends, across workers too.
            await User.select_for_update(no_key=True).get(id=sender.pk)
            await check_rate(settings, sender)
            if side == Side.CANDIDATE and conversation.status != ConversationStatus.ACCEPTED:
                # Replying accepts the contact request.
                accepted = bool(
                    await Conversation.filter(
                        id=conversation.pk,
                        status__in=[ConversationStatus.REQUESTED, ConversationStatus.DECLINED],
                    ).update(status=ConversationStatus.ACCEPTED, responded_at=utcnow())
                )
                if accepted:
                    conversation.status = ConversationStatus.ACCEPTED
                    notice = await post_system_message(conversation, ACCEPTED_NOTICE)
            message = await append_message(
                conversation, sender=sender, body=body, client_message_id=client_message_id
            )
    except IntegrityError:
        if client_message_id is None:
            raise
        original = await _original(sender, client_message_id, conversation.pk)
        if original is None:
            raise
        return original, await Conversation.get(id=conversation.pk)
    events = [message_event(conversation.pk, message.pk, message.seq)]
    if notice is not None:
        events[:0] = [
            conversation_event(conversation.pk, ConversationStatus.ACCEPTED.value, user_id=sender.pk),
            message_event(conversation.pk, notice.pk, notice.seq),
        ]
    await publish_events(broker, conversation, events)
    return message, conversation


async def _profile_id(user_id: int) -> int | None:
    from models.profiles import Profile

    rows = await Profile.filter(user_id=user_id).values_list("id", flat=True)
    return rows[0] if rows else None


# --- Reading and typing --------------------------------------------------------------

async def mark_read(broker: Publisher, viewer: User, conversation_id: int, seq: int | None = None) -> Conversation:
    """Move the viewer's side read position to ``seq`` (default: the last message).
    It only moves forward; a ``seq`` beyond the last message counts as the last."""
    conversation = await conversation_for(viewer, conversation_id)
    if conversation is None:
        raise not_found()
    if seq is not None and seq < 0:
        raise UserErrors.single(UserErrorCode.OUT_OF_RANGE, "seq must be 0 or more.", ["seq"])
    side = side_of(viewer, conversation)
    column = "candidate_read_seq" if side == Side.CANDIDATE else "company_read_seq"
    target = conversation.last_seq if seq is None else min(seq, conversation.last_seq)
    changed = await Conversation.filter(id=conversation.pk, **{f"{column}__lt": target}).update(**{column: target})
    conversation = await Conversation.get(id=conversation.pk)
    if changed:
        await publish_events(
            broker, conversation, [conversation_event(conversation.pk, "READ", user_id=viewer.pk, seq=target)]
        )
    return conversation


async def send_typing(broker: Publisher, viewer: User, conversation_id: int) -> Conversation:
    """Tell the other side the viewer is typing. Published, never stored."""
    conversation = await conversation_for(viewer, conversation_id)
    if conversation is None:
        raise not_found()
    if side_of(viewer, conversation) == Side.COMPANY and conversation.status != ConversationStatus.ACCEPTED:
        code = (
            UserErrorCode.CONVERSATION_DECLINED
            if conversation.status == ConversationStatus.DECLINED
            else UserErrorCode.CONVERSATION_NOT_ACCEPTED
        )
        raise UserErrors.single(code, "You cannot write in this conversation now.", ["conversationId"])
    await publish_events(broker, conversation, [conversation_event(conversation.pk, "TYPING", user_id=viewer.pk)])
    return conversation
