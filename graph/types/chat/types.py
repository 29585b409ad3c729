"""Chat: conversations between a company and a candidate, messages, and the contact flow.

Objects resolve straight from ``models.chat`` rows. Every read goes through
``resolvers.chat`` participation rules: a conversation or message of others is ``null``.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.accounts import Company, User
from graph.types.common import Connection, Node, describe_enum, model_type
from graph.types.node import register_node
from graph.types.profiles.types import SalaryPeriod
from models import chat as m
from resolvers import chat as chat_rules
from resolvers.chat.access import Side
from resolvers.chat.responsiveness import NO_DATA
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.ids import parse_global_id, to_global_id
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.chat.loaders import (
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
    min: int = strawberry.field(description="Lowest amount, 1–100,000,000.")
    max: int = strawberry.field(
        description=(
            "Highest amount, at least `min`, at most 100,000,000 and at most twice `min` (RANGE_TOO_WIDE beyond: "
            "pay-transparency rules ask for a good-faith range, and the widest common salary bands, for executive "
            "roles, span about 100% from minimum to maximum). Below the candidate's desired minimum, compared per "
            "year and across currencies with the shipped ECB reference rates, the contact is refused with "
            "BELOW_CANDIDATE_FLOOR; NO_EXCHANGE_RATE when a currency has no rate."
        )
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
    parties = [row if row is not None and _side(info, row) is not None else None for row in rows]
    return await chat_rules.without_blocked(info.context.viewer, parties)  # a block closes the company's side


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
