"""Chat: conversations between a company and a candidate, messages, and the contact flow.

Objects resolve straight from ``models.chat`` rows. Every read goes through
``resolvers.chat`` participation rules: a conversation or message of others is ``null``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.accounts import Company, User
from graph.types.common import Connection, Node, UserError, describe_enum, model_type, user_errors
from graph.types.node import register_node
from graph.types.profiles.types import SalaryPeriod
from models import chat as m
from resolvers import chat as chat_rules
from resolvers.chat.access import Side
from resolvers.chat.responsiveness import NO_DATA
from resolvers.errors import Forbidden, UserErrorCode, UserErrors
from resolvers.ids import parse_global_id, parse_typed_id, to_global_id
from resolvers.loaders.accounts import companies_by_id, users_by_id
from subscriptions import chat as chat_streams
from resolvers.loaders.chat import (
    candidate_access_by_viewer_and_user,
    conversations_by_id,
    messages_by_conversation_and_seq,
    messages_by_id,
    responsiveness_by_company_id,
)

ConversationStatus = describe_enum(
    m.ConversationStatus,
    "ConversationStatus",
    "Where a contact request stands.",
    {
        "REQUESTED": "The company wrote first; the candidate has not answered. The company cannot write more until they do.",
        "ACCEPTED": "The candidate accepted (or replied): both sides write freely.",
        "DECLINED": "The candidate declined: the company cannot write again (the candidate still can, which accepts).",
    },
)

MessageKind = describe_enum(
    m.MessageKind,
    "MessageKind",
    "Who wrote a message.",
    {
        "USER": "A participant wrote it.",
        "SYSTEM": "The platform wrote it (contact accepted, offer events); it has no sender.",
    },
)

ConversationSide = describe_enum(
    Side,
    "ConversationSide",
    "The two sides of a conversation.",
    {
        "CANDIDATE": "The candidate.",
        "COMPANY": "The company: any of its members acts for it.",
    },
)


class Change(str, Enum):
    STARTED = "STARTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    READ = "READ"
    TYPING = "TYPING"


ConversationChange = describe_enum(
    Change,
    "ConversationChange",
    "What changed in a conversation (`conversationUpdated`).",
    {
        "STARTED": "A company opened the conversation with a contact request.",
        "ACCEPTED": "The candidate accepted the contact request (or replied to it).",
        "DECLINED": "The candidate declined the contact request.",
        "READ": "A side read up to `seq` (read receipt).",
        "TYPING": "`actor` is typing. Never stored; show it for a few seconds.",
    },
)


@strawberry.type(description="A salary range, as named in the first contact.")
class SalaryRange:
    min: int = strawberry.field(description="Lowest amount, 0–100,000,000.")
    max: int = strawberry.field(description="Highest amount, at least `min`, at most 100,000,000.")
    currency: str = strawberry.field(description="ISO 4217 currency code, such as EUR.")
    period: SalaryPeriod = strawberry.field(description="What the amounts are paid for.")  # type: ignore[valid-type]


@strawberry.input(description="A salary range: pay is visible up front in every first contact.")
class SalaryRangeInput:
    min: int = strawberry.field(description="Lowest amount, 0–100,000,000.")
    max: int = strawberry.field(
        description="Highest amount, at least `min`, at most 100,000,000. Below the candidate's desired minimum (same currency) the contact is refused with BELOW_CANDIDATE_FLOOR."
    )
    currency: str = strawberry.field(description="ISO 4217 currency code, such as EUR (any case).")
    period: SalaryPeriod = strawberry.field(description="What the amounts are paid for.")  # type: ignore[valid-type]


@strawberry.type(
    description="How reliably a company answers candidates, over the last 90 days. Fields are null when there is no data."
)
class CompanyResponsiveness:
    answered_within_week_share: float | None = strawberry.field(
        description="Share (0–1) of candidates' messages the company answered within 7 days. Unanswered messages younger than 7 days are not counted yet."
    )
    median_reply_seconds: float | None = strawberry.field(
        description="Median time, in seconds, from a candidate's message to the company's next reply."
    )
    candidate_messages: int = strawberry.field(
        description="Number of candidates' messages in the last 90 days the figures are based on."
    )


async def company_responsiveness(info: Info, company_id: int) -> CompanyResponsiveness:
    data = await info.context.loaders(responsiveness_by_company_id).load(company_id) or NO_DATA
    return CompanyResponsiveness(
        answered_within_week_share=data.answered_share,
        median_reply_seconds=data.median_reply_seconds,
        candidate_messages=data.candidate_messages,
    )


def _side(info: Info, conversation: m.Conversation) -> Side | None:
    return chat_rules.side_of(info.context.viewer, conversation)


async def _candidate_visible(info: Info, conversation_candidate_id: int, side: Side | None) -> bool:
    """May the viewer see who the candidate is? Privacy decides (anonymity, blocks)."""
    viewer = info.context.viewer
    if viewer is None or side is None:
        return False
    if side == Side.CANDIDATE:
        return True
    access = await info.context.loaders(candidate_access_by_viewer_and_user).load((viewer.pk, conversation_candidate_id))
    return access is not None and access.identity


@strawberry.type(description="A conversation between one company and one candidate. Only they see it.")
@model_type(m.Conversation)
class Conversation(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Conversation", self.pk))  # type: ignore[attr-defined]

    status: ConversationStatus = strawberry.field(description="Where the contact request stands.")  # type: ignore[valid-type]
    role_title: str = strawberry.field(description="The role the company contacted the candidate about, at most 120 characters.")
    created_at: datetime = strawberry.field(description="When the company sent the contact request.")
    last_activity_at: datetime = strawberry.field(description="When the last message was written.")
    responded_at: datetime | None = strawberry.field(description="When the candidate accepted or declined; null until then.")
    last_seq: int = strawberry.field(description="`seq` of the newest message (messages are numbered 1, 2, 3 … per conversation).")

    @strawberry.field(description="The salary range named in the contact request.")
    def salary_range(self) -> SalaryRange:
        return SalaryRange(
            min=self.salary_min,  # type: ignore[attr-defined]
            max=self.salary_max,  # type: ignore[attr-defined]
            currency=self.salary_currency,  # type: ignore[attr-defined]
            period=self.salary_period,  # type: ignore[attr-defined]
        )

    @strawberry.field(description="The company side.")
    async def company(self, info: Info) -> Company:
        return await info.context.loaders(companies_by_id).load(self.company_id)  # type: ignore[attr-defined, return-value]

    @strawberry.field(
        description="The candidate. Null for the company while the candidate is anonymous and has not accepted, or when the candidate's privacy settings hide them from it."
    )
    async def candidate(self, info: Info) -> User | None:
        candidate_id = self.candidate_id  # type: ignore[attr-defined]
        if not await _candidate_visible(info, candidate_id, _side(info, self)):  # type: ignore[arg-type]
            return None
        return await info.context.loaders(users_by_id).load(candidate_id)  # type: ignore[return-value]

    @strawberry.field(description="The viewer's side of this conversation.")
    def viewer_side(self, info: Info) -> ConversationSide | None:  # type: ignore[valid-type]
        return _side(info, self)  # type: ignore[arg-type]

    @strawberry.field(description="Messages after the viewer's side read position (0 when all are read).")
    def unread_count(self, info: Info) -> int:
        side = _side(info, self)  # type: ignore[arg-type]
        return chat_rules.unread_count(self, side) if side else 0  # type: ignore[arg-type]

    @strawberry.field(description="`seq` up to which the viewer's side has read.")
    def viewer_read_seq(self, info: Info) -> int:
        side = _side(info, self)  # type: ignore[arg-type]
        if side == Side.CANDIDATE:
            return self.candidate_read_seq  # type: ignore[attr-defined]
        return self.company_read_seq  # type: ignore[attr-defined]

    @strawberry.field(description="`seq` up to which the other side has read (read receipts).")
    def other_side_read_seq(self, info: Info) -> int:
        side = _side(info, self)  # type: ignore[arg-type]
        if side == Side.CANDIDATE:
            return self.company_read_seq  # type: ignore[attr-defined]
        return self.candidate_read_seq  # type: ignore[attr-defined]

    @strawberry.field(description="The newest message; null when there is none.")
    async def last_message(self, info: Info) -> Message | None:
        key = (self.pk, self.last_seq)  # type: ignore[attr-defined]
        return await info.context.loaders(messages_by_conversation_and_seq).load(key)  # type: ignore[return-value]

    @strawberry.field(
        description="Messages in `seq` order, keyset-paginated both ways: `first`/`after` pages forward, `last`/`before` backward (`last: 20` is the newest 20). At most 100 per page, default 20."
    )
    async def messages(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size forward, 0–100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor: messages after this one.")] = None,
        last: Annotated[int | None, strawberry.argument(description="Page size backward, 0–100.")] = None,
        before: Annotated[str | None, strawberry.argument(description="Cursor: messages before this one.")] = None,
    ) -> Connection[Message]:
        page = await chat_rules.messages_page(self, first=first, after=after, last=last, before=before)  # type: ignore[arg-type]
        return Connection.from_page(page)  # type: ignore[return-value]


@strawberry.type(description="A message in a conversation. Immutable once written.")
@model_type(m.Message)
class Message(Node):
    @strawberry.field(description="Globally unique ID; pass it as `after` to resume `messageAdded`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Message", self.pk))  # type: ignore[attr-defined]

    seq: int = strawberry.field(description="Position in the conversation: 1, 2, 3 … without gaps.")
    body: str = strawberry.field(description="The text, 1–4,000 characters.")
    kind: MessageKind = strawberry.field(description="Written by a participant or by the platform.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When it was written.")

    @strawberry.field(description="The client's idempotency key; only its sender sees it.")
    def client_message_id(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if viewer is not None and viewer.pk == self.sender_id:  # type: ignore[attr-defined]
            return self.client_message_id  # type: ignore[attr-defined]
        return None

    @strawberry.field(description="The conversation it belongs to.")
    async def conversation(self, info: Info) -> Conversation | None:
        return await info.context.loaders(conversations_by_id).load(self.conversation_id)  # type: ignore[attr-defined, return-value]

    @strawberry.field(description="Which side wrote it; null for system messages.")
    async def sender_side(self, info: Info) -> ConversationSide | None:  # type: ignore[valid-type]
        sender_id = self.sender_id  # type: ignore[attr-defined]
        if sender_id is None:
            return None
        conversation = await info.context.loaders(conversations_by_id).load(self.conversation_id)  # type: ignore[attr-defined]
        return Side.CANDIDATE if conversation is not None and sender_id == conversation.candidate_id else Side.COMPANY

    @strawberry.field(
        description="Who wrote it. Null for system messages, for deleted users, and for a candidate the viewer may not identify (anonymous until accepted)."
    )
    async def sender(self, info: Info) -> User | None:
        sender_id = self.sender_id  # type: ignore[attr-defined]
        if sender_id is None:
            return None
        conversation = await info.context.loaders(conversations_by_id).load(self.conversation_id)  # type: ignore[attr-defined]
        if conversation is None:
            return None
        if sender_id == conversation.candidate_id and not await _candidate_visible(
            info, sender_id, _side(info, conversation)
        ):
            return None
        user = await info.context.loaders(users_by_id).load(sender_id)
        return None if user is None or user.deleted_at is not None else user  # type: ignore[return-value]


async def _resolve_conversations(info: Info, ids: list[int]) -> list[m.Conversation | None]:
    rows = await info.context.loaders(conversations_by_id).load_many(ids)
    return [row if row is not None and _side(info, row) is not None else None for row in rows]


async def _resolve_messages(info: Info, ids: list[int]) -> list[m.Message | None]:
    rows = await info.context.loaders(messages_by_id).load_many(ids)
    conversations = await _resolve_conversations(info, [row.conversation_id if row else 0 for row in rows])
    return [row if row is not None and conv is not None else None for row, conv in zip(rows, conversations)]


register_node("Conversation", _resolve_conversations)
register_node("Message", _resolve_messages)


def conversation_pk(value: str) -> int | None:
    """The primary key of a Conversation ID; ``None`` for a well-formed ID of another type."""
    type_name, pk = parse_global_id(value)
    return pk if type_name == "Conversation" else None


def _require_conversation_pk(value: str) -> int:
    pk = conversation_pk(value)
    if pk is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])
    return pk


# --- Inputs and payloads ---------------------------------------------------------------

@strawberry.input(description="A first contact: role, pay and a first message. Employers only.")
class StartConversationInput:
    candidate_id: strawberry.ID = strawberry.field(
        description="The candidate's User ID, or their Profile ID (`SearchCandidate.id` of a search result). A candidate who hid their profile or blocked your company is NOT_FOUND, exactly like an unknown ID."
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
    """``candidateId`` as resolver keywords: a User id or a Profile id, else neither."""
    type_name, pk = parse_global_id(value)
    return {"candidate_id": pk if type_name == "User" else None, "candidate_profile_id": pk if type_name == "Profile" else None}


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
