"""Chat's roots: ``ChatQuery``, ``ChatMutation`` and ``ChatSubscription``.

Each mutation parses its input and hands it to ``resolvers.chat.commands``, declared
with ``payload_mutation``; each subscription maps the deliveries of ``subscriptions.chat``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.chat.inputs import (
    MarkConversationReadInput,
    MarkConversationReadPayload,
    RespondToContactInput,
    RespondToContactPayload,
    SendMessageInput,
    SendMessagePayload,
    SendTypingIndicatorInput,
    SendTypingIndicatorPayload,
    StartConversationInput,
    StartConversationPayload,
)
from graph.types.chat.types import Conversation, ConversationUpdate, Message, conversation_pk
from graph.types.common import Connection
from graph.types.mutations import payload_mutation
from resolvers.chat import commands, queries
from resolvers.errors import Forbidden, UserErrorCode, UserErrors
from resolvers.ids import parse_global_id, parse_typed_id
from subscriptions import chat as chat_streams


def _conversation_pk(value: strawberry.ID) -> int:
    """``conversationId`` of a mutation input: NOT_FOUND (a user error) unless a Conversation ID."""
    pk = conversation_pk(str(value))
    if pk is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    return pk


def _candidate_pks(value: strawberry.ID) -> dict[str, int | None]:
    """``candidateId`` as resolver keywords: a User id, or a Profile id (a SearchCandidate id
    names the same profile), else neither."""
    type_name, pk = parse_global_id(str(value))
    profile_pk = pk if type_name in ("Profile", "SearchCandidate") else None
    return {"candidate_id": pk if type_name == "User" else None, "candidate_profile_id": profile_pk}


def _role_pk(value: strawberry.ID | None) -> int | None:
    """``roleId`` of a contact request: its key, or 0 (not found) for another type's ID."""
    if value is None:
        return None
    type_name, pk = parse_global_id(str(value))
    return pk if type_name == "HiringRole" else 0


def _subscribed_conversation_pk(value: strawberry.ID | None) -> int | None:
    """``conversationId`` of a subscription: FORBIDDEN (like a conversation of others) unless a Conversation ID."""
    if value is None:
        return None
    pk = conversation_pk(str(value))
    if pk is None:
        raise Forbidden(chat_streams.NOT_PARTICIPANT)
    return pk


@strawberry.type
class ChatQuery:
    @strawberry.field(
        description="The viewer's conversations (a candidate's own, an employer's company's), newest activity first, each with its `unreadCount`. At most 100 per page, default 20."
    )
    async def conversations(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor from a previous page's `endCursor`.")] = None,
    ) -> Connection[Conversation]:
        viewer = info.context.require_viewer()
        return Connection.from_page(await queries.conversations_page(viewer, first=first, after=after))

    @strawberry.field(description="One conversation by ID; null when it does not exist or you do not take part in it.")
    async def conversation(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A Conversation ID.")]
    ) -> Conversation | None:
        viewer = info.context.require_viewer()
        pk = conversation_pk(str(id))
        if pk is None:
            return None
        [found] = await queries.conversations_for(info.context.loaders, viewer, [pk])
        return found  # type: ignore[return-value]  # a models.chat row stands for its GraphQL type


@strawberry.type
class ChatMutation:
    start_conversation = payload_mutation(
        description="Employers: contact a candidate with a role, a salary range and a first message. One conversation per company and candidate; a weekly quota of unanswered requests per company (CONTACT_QUOTA_EXCEEDED).",
        input=(StartConversationInput, "The first contact."),
        payload=StartConversationPayload,
        field=("conversation", "message"),
        rule=lambda c, input: commands.start_conversation(
            c.settings,
            c.broker,
            c.require_viewer(),
            **_candidate_pks(input.candidate_id),
            role_title=input.role_title,
            salary=input.salary_range.as_range() if input.salary_range is not None else None,
            body=input.message,
            role_id=_role_pk(input.role_id),
        ),
    )
    respond_to_contact = payload_mutation(
        description="Candidates: accept or decline a contact request (once; ALREADY_RESPONDED after, CONTACT_REQUEST_EXPIRED once it expired unanswered).",
        input=(RespondToContactInput, "The answer."),
        payload=RespondToContactPayload,
        field="conversation",
        rule=lambda c, input: commands.respond_to_contact(
            c.broker, c.require_viewer(), _conversation_pk(input.conversation_id), input.accept
        ),
    )
    send_message = payload_mutation(
        description="Send a message. A candidate's reply accepts a contact request; the company cannot write while it is REQUESTED or after DECLINED. Idempotent by `clientMessageId`. At most `MESSAGES_PER_MINUTE` (default 60) per user per minute (RATE_LIMITED error).",
        input=(SendMessageInput, "The message."),
        payload=SendMessagePayload,
        field=("message", "conversation"),
        rule=lambda c, input: commands.send_message(
            c.settings, c.broker, c.require_viewer(), _conversation_pk(input.conversation_id), input.body, input.client_message_id
        ),
    )
    mark_conversation_read = payload_mutation(
        description="Move your side's read position (read receipts for the other side).",
        input=(MarkConversationReadInput, "Up to where."),
        payload=MarkConversationReadPayload,
        field="conversation",
        rule=lambda c, input: commands.mark_read(c.broker, c.require_viewer(), _conversation_pk(input.conversation_id), input.seq),
    )
    send_typing_indicator = payload_mutation(
        description="Tell the other side you are typing (a `conversationUpdated` TYPING event). Nothing is stored.",
        input=(SendTypingIndicatorInput, "Where."),
        payload=SendTypingIndicatorPayload,
        field="conversation",
        rule=lambda c, input: commands.send_typing(c.broker, c.require_viewer(), _conversation_pk(input.conversation_id)),
    )


@strawberry.type
class ChatSubscription:
    @strawberry.subscription(
        description="New messages of one conversation, or of all your conversations when `conversationId` is omitted. With `after` (a message ID) it first replays every stored message after that one, in order, then continues live — no gap, no duplicate. Only participants may subscribe (FORBIDDEN otherwise); the stream ends when your token is revoked or you lose access. A subscriber that falls too far behind gets a SLOW_CONSUMER error: subscribe again with `after`."
    )
    async def message_added(
        self,
        info: Info,
        conversation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One conversation; omit for your whole inbox.")
        ] = None,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Resume after this message ID (the last one you received). For the inbox at most 1,000 messages are replayed."),
        ] = None,
    ) -> AsyncGenerator[Message, None]:
        conversation = _subscribed_conversation_pk(conversation_id)
        after_pk = parse_typed_id(str(after), "Message", "after") if after is not None else None
        stream = chat_streams.message_stream(info.context.broker, info.context.session, conversation, after_pk)
        async for delivery in stream:
            info.context.loaders = delivery.loaders
            yield delivery.item

    @strawberry.subscription(
        description="Changes of one conversation, or of all yours when `conversationId` is omitted: contact accepted or declined, read receipts, typing indicators (not your own). Same authorization as `messageAdded`."
    )
    async def conversation_updated(
        self,
        info: Info,
        conversation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One conversation; omit for your whole inbox.")
        ] = None,
    ) -> AsyncGenerator[ConversationUpdate, None]:
        conversation = _subscribed_conversation_pk(conversation_id)
        async for delivery in chat_streams.conversation_stream(info.context.broker, info.context.session, conversation):
            info.context.loaders = delivery.loaders
            event = delivery.item
            yield ConversationUpdate(
                change=event.change,
                conversation=event.conversation,
                seq=event.seq,
                actor_side=event.actor_side,
            )
