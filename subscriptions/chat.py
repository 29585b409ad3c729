"""Live chat streams: ``messageAdded`` and ``conversationUpdated``.

Resume without gap or duplicate:

1. subscribe to the broker first (``Broker.subscribe`` returns once the backend confirmed);
2. then read from the database: with ``after``, replay every stored message after it;
   without, remember each conversation's current ``last_seq``;
3. then go live. A message event is never delivered from the event itself: it triggers a
   *catch-up* — read every committed message with a ``seq`` above the last one delivered
   for that conversation, in order. Events published out of order (PostgreSQL commits
   race), duplicates at the seam, and a ``RESYNC`` after a broker reconnection all fall
   out of that one rule: deliver ``seq > last``, in order, from the database.

Authorization is checked at subscribe time and again for every event, on rows re-read
for that event (a participant who left the company, a deleted account, a revoked token
— through ``subscriptions.accounts.guarded`` — ends the stream). A block closes the company's
side: the company's streams skip the conversation (inbox) or end (one conversation); the
block is announced with an ``access`` event so that happens at once, on every worker,
not at the next message. Reads for one event are
shared by every local subscriber of that event (the same event dict reaches them all):
1,000 inbox subscribers of one company cost one query per row, not 1,000.

Memory: those shared reads (``_loaders``, ``_reads``, ``_item``) live on the event dict and go with
it once every subscriber has taken it; a stream keeps only ``last`` (one int per
conversation of its scope that has had a message), freed when the stream ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from tortoise.expressions import Q

from models.accounts import User
from models.chat import Conversation, Message
from resolvers.accounts import Session
from resolvers.accounts.loaders import users_by_id
from resolvers.chat.access import (
    Side,
    author_side,
    company_blocked,
    conversation_for,
    side_of,
    visible_conversations,
)
from resolvers.chat.events import ACCESS_TYPE, Change
from resolvers.chat.loaders import conversations_by_id
from resolvers.chat.queries import REPLAY_BATCH, messages_after
from resolvers.errors import BadUserInput, Forbidden, Unauthenticated
from resolvers.events import auth_channel, candidate_inbox_channel, company_inbox_channel, conversation_channel
from resolvers.loading import Loaders, SharedRead
from subscriptions.accounts import check_session, guarded
from subscriptions.broker import RESYNC_TYPE, Broker

T = TypeVar("T")

NOT_PARTICIPANT = "You do not take part in this conversation, or it does not exist."
INBOX_REPLAY_MAX = 1_000


@dataclass
class Delivery:
    """One item for the client, with the loaders its fields must resolve through."""

    item: Any
    loaders: Loaders


@dataclass(frozen=True)
class ConversationChangeEvent:
    change: Change
    conversation: Conversation
    actor_side: Side | None
    seq: int | None


def _event_loaders(event: dict[str, Any]) -> Loaders:
    """Fresh loaders for this event, shared by every local subscriber that got it."""
    loaders = event.get("_loaders")
    if loaders is None:
        loaders = event["_loaders"] = Loaders(event=True)
    return loaders


def _shared(event: dict[str, Any], key: Any, factory: Callable[[], Awaitable[T]]) -> Awaitable[T]:
    """One read per event and key, however many subscribers ask for it."""
    reads: dict[Any, SharedRead] = event.setdefault("_reads", {})
    read = reads.get(key)
    if read is None:
        read = reads[key] = SharedRead(asyncio.ensure_future(factory()))
    return read.wait()


@dataclass
class _Scope:
    """What one subscription listens to: one conversation, or the viewer's inbox."""

    viewer: User
    conversation_id: int | None
    company_id: int | None  # the inbox of this company (employers)

    def channels(self) -> list[str]:
        if self.conversation_id is not None:
            return [conversation_channel(self.conversation_id)]
        if self.company_id is not None:
            return [company_inbox_channel(self.company_id)]
        return [candidate_inbox_channel(self.viewer.pk)]


async def _open_scope(session: Session | None, conversation_id: int | None) -> tuple[Session, _Scope]:
    check_session(session)
    assert session is not None
    viewer = session.user
    if conversation_id is not None:
        if await conversation_for(viewer, conversation_id) is None:
            raise Forbidden(NOT_PARTICIPANT)
        return session, _Scope(viewer, conversation_id, None)
    await visible_conversations(viewer)  # Forbidden for anyone without an inbox
    return session, _Scope(viewer, None, viewer.company_id if viewer.is_employer else None)


async def _check_still_allowed(scope: _Scope, event: dict[str, Any], conversation_id: int) -> Conversation | None:
    """Re-read the viewer and the conversation for this event (and, for the company side,
    whether the candidate blocks the company). Raises when the viewer lost access to the
    whole scope; ``None`` when only this conversation is not theirs."""
    loaders = _event_loaders(event)
    user = await loaders(users_by_id).load(scope.viewer.pk)
    if user is None or user.deleted_at is not None:
        raise Unauthenticated("Your account is gone; this subscription ended.")
    if scope.company_id is not None and user.company_id != scope.company_id:
        raise Forbidden("You no longer belong to this company; this subscription ended.")
    conversation = await loaders(conversations_by_id).load(conversation_id)
    side = side_of(user, conversation) if conversation is not None else None
    if side == Side.COMPANY:
        assert conversation is not None
        pair = (conversation.company_id, conversation.candidate_id)
        if await _shared(event, ("blocked", pair), lambda: company_blocked(*pair)):
            side = None  # the candidate blocks the company: its side is closed
    if conversation is None or side is None:
        if scope.conversation_id is not None:
            raise Forbidden(NOT_PARTICIPANT)
        return None
    return conversation


async def _after_message(scope: _Scope, after_id: int | None) -> Message | None:
    if after_id is None:
        return None
    message = await Message.get_or_none(id=after_id)
    conversation = await conversation_for(scope.viewer, message.conversation_id) if message else None
    if (
        message is None
        or conversation is None
        or (scope.conversation_id is not None and message.conversation_id != scope.conversation_id)
    ):
        raise BadUserInput("'after' must be the ID of a message of this subscription's conversations.")
    return message


async def _inbox_replay(scope: _Scope, after: Message) -> list[Message]:
    """Messages of the viewer's conversations after ``after``: in its conversation by
    ``seq``, elsewhere by (created_at, id)."""
    ids = list(await (await visible_conversations(scope.viewer)).values_list("id", flat=True))
    rows = await Message.filter(
        Q(conversation_id=after.conversation_id, seq__gt=after.seq)
        | Q(
            Q(conversation_id__in=ids),
            ~Q(conversation_id=after.conversation_id),
            Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, id__gt=after.pk),
        )
    ).order_by("created_at", "id").limit(INBOX_REPLAY_MAX + 1)
    if len(rows) > INBOX_REPLAY_MAX:
        raise BadUserInput(
            f"More than {INBOX_REPLAY_MAX} messages arrived since 'after'; reload `conversations` and subscribe again without 'after'."
        )
    return list(rows)


async def message_stream(
    broker: Broker, session: Session | None, conversation_id: int | None, after_id: int | None
) -> AsyncIterator[Delivery]:
    """New messages of one conversation or of the viewer's inbox, resumable with ``after``."""
    session, scope = await _open_scope(session, conversation_id)
    after = await _after_message(scope, after_id)
    async with broker.subscribe(*scope.channels(), auth_channel(scope.viewer.pk)) as subscription:
        # Subscribed (and confirmed): now the database, then live.
        last: dict[int, int] = {}
        async for delivery in _start(scope, last, after):
            yield delivery
        async for event in guarded(session, subscription):
            kind = event.get("type")
            if kind == RESYNC_TYPE:
                async for delivery in _resync(scope, last):
                    yield delivery
            elif kind == ACCESS_TYPE:
                await _check_still_allowed(scope, event, event["conversationId"])  # ends a closed one
            elif kind == "message":
                conversation_key = event["conversationId"]
                if event["seq"] <= last.get(conversation_key, 0):
                    continue  # already delivered (replay, catch-up or a duplicate event)
                async for delivery in _catch_up(scope, last, conversation_key, event):
                    yield delivery


async def _start(scope: _Scope, last: dict[int, int], after: Message | None) -> AsyncIterator[Delivery]:
    """Fill ``last`` (what the stream has delivered per conversation) from the database:
    with ``after``, replay every stored message after it; without, start at each
    conversation's current ``last_seq``."""
    if scope.conversation_id is not None:
        current = await Conversation.filter(id=scope.conversation_id).first().values("last_seq")
        last[scope.conversation_id] = after.seq if after is not None else (current["last_seq"] if current else 0)
        if after is not None:
            async for delivery in _catch_up(scope, last, scope.conversation_id, {}):
                yield delivery
        return
    baseline: list[tuple[int, int]] = await (await visible_conversations(scope.viewer)).values_list("id", "last_seq")
    last.update(baseline)
    if after is not None:
        loaders = Loaders()
        for message in await _inbox_replay(scope, after):
            last[message.conversation_id] = max(last.get(message.conversation_id, 0), message.seq)
            yield Delivery(message, loaders)


async def _catch_up(
    scope: _Scope, last: dict[int, int], conversation_id: int, event: dict[str, Any]
) -> AsyncIterator[Delivery]:
    """Deliver every committed message after ``last[conversation_id]``, in order."""
    loaders = _event_loaders(event)
    if await _check_still_allowed(scope, event, conversation_id) is None:
        return
    while True:
        seq = last.get(conversation_id, 0)
        rows = await _shared(event, ("after", conversation_id, seq), partial(messages_after, conversation_id, seq))
        for message in rows:
            if message.seq <= last.get(conversation_id, 0):
                continue
            last[conversation_id] = message.seq
            yield Delivery(message, loaders)
        if len(rows) < REPLAY_BATCH:
            return


async def _resync(scope: _Scope, last: dict[int, int]) -> AsyncIterator[Delivery]:
    """After a broker reconnection: everything committed meanwhile, from the database."""
    if scope.conversation_id is not None:
        targets = [scope.conversation_id]
    else:
        rows = await (await visible_conversations(scope.viewer)).values_list("id", "last_seq")
        targets = [cid for cid, seq in rows if seq > last.get(cid, 0)]
    for conversation_id in targets:
        async for delivery in _catch_up(scope, last, conversation_id, {}):
            yield delivery


async def conversation_stream(
    broker: Broker, session: Session | None, conversation_id: int | None
) -> AsyncIterator[Delivery]:
    """Status changes, read receipts and typing of one conversation or of the inbox."""
    session, scope = await _open_scope(session, conversation_id)
    async with broker.subscribe(*scope.channels(), auth_channel(scope.viewer.pk)) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") == ACCESS_TYPE:
                await _check_still_allowed(scope, event, event["conversationId"])  # ends a closed one
                continue
            if event.get("type") != "conversation":
                continue
            if event.get("change") == Change.TYPING.value and event.get("userId") == scope.viewer.pk:
                continue  # one's own typing
            conversation = await _check_still_allowed(scope, event, event["conversationId"])
            if conversation is None:
                continue
            yield Delivery(_change_event(event, conversation), _event_loaders(event))


def _change_event(event: dict[str, Any], conversation: Conversation) -> ConversationChangeEvent:
    """The event's change, made once per event: every local subscriber gets the same
    object (the conversation row comes from the event's shared loaders), so their
    executions can be shared too (``graph/multiplex.py`` groups by root value identity)."""
    item: ConversationChangeEvent | None = event.get("_item")
    if item is None or item.conversation is not conversation:
        item = event["_item"] = ConversationChangeEvent(
            change=Change(event["change"]),
            conversation=conversation,
            actor_side=author_side(conversation, actor) if (actor := event.get("userId")) is not None else None,
            seq=event.get("seq"),
        )
    return item
