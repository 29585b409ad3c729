"""Chat operations: inputs, payloads and the Query/Mutation/Subscription roots."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection, UserError, user_errors
from resolvers import chat as chat_rules
from resolvers.chat.access import Side
from resolvers.errors import Forbidden, UserErrors
from resolvers.ids import parse_global_id, parse_typed_id
from subscriptions import chat as chat_streams
from graph.types.chat.types import (
    ConversationSide,
    Change,
    ConversationChange,
    SalaryRangeInput,
    Conversation,
    Message,
    _resolve_conversations,
    conversation_pk,
    _require_conversation_pk,
)

# --- Inputs and payloads ---------------------------------------------------------------

@strawberry.input(description="A first contact: role, pay and a first message. Employers only.")
class StartConversationInput:
    candidate_id: strawberry.ID = strawberry.field(
        description="The candidate's User ID, or their Profile ID (`SearchCandidate.profileId` of a search result; the result's own `SearchCandidate.id` is accepted too). A candidate who hid their profile or blocked your company is NOT_FOUND, exactly like an unknown ID."
    )
    role_title: str = strawberry.field(description="The role you are hiring for, 1–120 characters.")
    salary_range: SalaryRangeInput = strawberry.field(description="The pay for the role (required).")
    message: str = strawberry.field(description="The first message, 1–4,000 characters.")


@strawberry.input(description="The candidate's answer to a contact request.")
class RespondToContactInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation in status REQUESTED.")
    accept: bool = strawberry.field(description="True accepts (a system message says so), false declines.")


@strawberry.input(description="A message to send.")
class SendMessageInput:
    conversation_id: strawberry.ID = strawberry.field(description="A conversation you take part in.")
    body: str = strawberry.field(description="The text, 1–4,000 characters.")
    client_message_id: str | None = strawberry.field(
        default=None,
        description="Your idempotency key, at most 64 characters: sending the same key again returns the original message and creates nothing.",
    )


@strawberry.input(description="Move your read position.")
class MarkConversationReadInput:
    conversation_id: strawberry.ID = strawberry.field(description="A conversation you take part in.")
    seq: int | None = strawberry.field(
        default=None, description="Read up to this message `seq` (default: the newest). The position only moves forward."
    )


@strawberry.input(description="Tell the other side you are typing.")
class SendTypingIndicatorInput:
    conversation_id: strawberry.ID = strawberry.field(description="A conversation you may write in.")


@strawberry.type(description="Result of `startConversation`.")
class StartConversationPayload:
    conversation: Conversation | None = strawberry.field(description="The new conversation; null on failure.")
    message: Message | None = strawberry.field(description="The first message; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `respondToContact`.")
class RespondToContactPayload:
    conversation: Conversation | None = strawberry.field(description="The conversation, ACCEPTED or DECLINED; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `sendMessage`.")
class SendMessagePayload:
    message: Message | None = strawberry.field(description="The message (the original one for a repeated clientMessageId); null on failure.")
    conversation: Conversation | None = strawberry.field(description="The conversation after sending; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `markConversationRead`.")
class MarkConversationReadPayload:
    conversation: Conversation | None = strawberry.field(description="The conversation with the new read position; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `sendTypingIndicator`.")
class SendTypingIndicatorPayload:
    conversation: Conversation | None = strawberry.field(description="The conversation; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


# --- Roots -----------------------------------------------------------------------------

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
        page = await chat_rules.conversations_page(viewer, first=first, after=after)
        return Connection.from_page(page)  # type: ignore[return-value]

    @strawberry.field(description="One conversation by ID; null when it does not exist or you do not take part in it.")
    async def conversation(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A Conversation ID.")]
    ) -> Conversation | None:
        info.context.require_viewer()
        pk = conversation_pk(str(id))
        if pk is None:
            return None
        return (await _resolve_conversations(info, [pk]))[0]  # type: ignore[return-value]


def _candidate_pks(value: str) -> dict[str, int | None]:
    """``candidateId`` as resolver keywords: a User id, or a Profile id (a SearchCandidate id
    names the same profile), else neither."""
    type_name, pk = parse_global_id(value)
    profile_pk = pk if type_name in ("Profile", "SearchCandidate") else None
    return {"candidate_id": pk if type_name == "User" else None, "candidate_profile_id": profile_pk}


@strawberry.type
class ChatMutation:
    @strawberry.mutation(
        description="Employers: contact a candidate with a role, a salary range and a first message. One conversation per company and candidate; a weekly quota of unanswered requests per company (CONTACT_QUOTA_EXCEEDED)."
    )
    async def start_conversation(
        self, info: Info, input: Annotated[StartConversationInput, strawberry.argument(description="The first contact.")]
    ) -> StartConversationPayload:
        viewer = info.context.require_viewer()
        salary = input.salary_range
        try:
            conversation, message = await chat_rules.start_conversation(
                info.context.settings,
                info.context.broker,
                viewer,
                **_candidate_pks(str(input.candidate_id)),
                role_title=input.role_title,
                salary=chat_rules.SalaryRange(salary.min, salary.max, salary.currency, salary.period),
                body=input.message,
            )
        except UserErrors as exc:
            return StartConversationPayload(conversation=None, message=None, user_errors=user_errors(exc))
        return StartConversationPayload(conversation=conversation, message=message, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Candidates: accept or decline a contact request (once; ALREADY_RESPONDED after).")
    async def respond_to_contact(
        self, info: Info, input: Annotated[RespondToContactInput, strawberry.argument(description="The answer.")]
    ) -> RespondToContactPayload:
        viewer = info.context.require_viewer()
        try:
            conversation = await chat_rules.respond_to_contact(
                info.context.broker, viewer, _require_conversation_pk(str(input.conversation_id)), input.accept
            )
        except UserErrors as exc:
            return RespondToContactPayload(conversation=None, user_errors=user_errors(exc))
        return RespondToContactPayload(conversation=conversation, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(
        description="Send a message. A candidate's reply accepts a contact request; the company cannot write while it is REQUESTED or after DECLINED. Idempotent by `clientMessageId`. At most `MESSAGES_PER_MINUTE` (default 60) per user per minute (RATE_LIMITED error)."
    )
    async def send_message(
        self, info: Info, input: Annotated[SendMessageInput, strawberry.argument(description="The message.")]
    ) -> SendMessagePayload:
        viewer = info.context.require_viewer()
        try:
            message, conversation = await chat_rules.send_message(
                info.context.settings,
                info.context.broker,
                viewer,
                _require_conversation_pk(str(input.conversation_id)),
                input.body,
                input.client_message_id,
            )
        except UserErrors as exc:
            return SendMessagePayload(message=None, conversation=None, user_errors=user_errors(exc))
        return SendMessagePayload(message=message, conversation=conversation, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Move your side's read position (read receipts for the other side).")
    async def mark_conversation_read(
        self, info: Info, input: Annotated[MarkConversationReadInput, strawberry.argument(description="Up to where.")]
    ) -> MarkConversationReadPayload:
        viewer = info.context.require_viewer()
        try:
            conversation = await chat_rules.mark_read(
                info.context.broker, viewer, _require_conversation_pk(str(input.conversation_id)), input.seq
            )
        except UserErrors as exc:
            return MarkConversationReadPayload(conversation=None, user_errors=user_errors(exc))
        return MarkConversationReadPayload(conversation=conversation, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Tell the other side you are typing (a `conversationUpdated` TYPING event). Nothing is stored.")
    async def send_typing_indicator(
        self, info: Info, input: Annotated[SendTypingIndicatorInput, strawberry.argument(description="Where.")]
    ) -> SendTypingIndicatorPayload:
        viewer = info.context.require_viewer()
        try:
            conversation = await chat_rules.send_typing(
                info.context.broker, viewer, _require_conversation_pk(str(input.conversation_id))
            )
        except UserErrors as exc:
            return SendTypingIndicatorPayload(conversation=None, user_errors=user_errors(exc))
        return SendTypingIndicatorPayload(conversation=conversation, user_errors=[])  # type: ignore[arg-type]


# --- Subscriptions ---------------------------------------------------------------------

@strawberry.type(description="A change in a conversation: contact answered, read receipt, typing.")
class ConversationUpdate:
    change: ConversationChange = strawberry.field(description="What changed.")  # type: ignore[valid-type]
    conversation: Conversation = strawberry.field(description="The conversation, as it is now.")
    seq: int | None = strawberry.field(description="For READ: the `seq` the side read up to; null otherwise.")
    _actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Which side caused the change (the reader, the typist, the one who answered).")
    async def actor_side(self, info: Info) -> ConversationSide | None:  # type: ignore[valid-type]
        if self._actor_id is None:
            return None
        return Side.CANDIDATE if self._actor_id == self.conversation.candidate_id else Side.COMPANY  # type: ignore[attr-defined]


def _optional_conversation_pk(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    pk = conversation_pk(str(value))
    if pk is None:
        raise Forbidden(chat_streams.NOT_PARTICIPANT)
    return pk


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
        conversation = _optional_conversation_pk(conversation_id)
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
        conversation = _optional_conversation_pk(conversation_id)
        async for delivery in chat_streams.conversation_stream(info.context.broker, info.context.session, conversation):
            info.context.loaders = delivery.loaders
            event = delivery.item
            yield ConversationUpdate(
                change=Change(event.change),
                conversation=event.conversation,  # type: ignore[arg-type]
                seq=event.seq,
                _actor_id=event.actor_id,
            )
