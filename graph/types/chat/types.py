"""Chat's GraphQL object types: conversations between a company and a candidate, their
messages, the enums, and a company's responsiveness.

Objects resolve straight from ``models.chat`` rows (``model_type``); every field asks
``resolvers.chat.queries`` what the viewer may see (a conversation or message of others is
``null``, an anonymous candidate's identity too).

Enums are the model/resolver enums, described for GraphQL by ``describe_enum`` (which
returns the same class), so fields are annotated with those classes.

Types of other features are referenced lazily (``Annotated["User",
strawberry.lazy("graph.types.accounts")]``): the schema resolves the name in that module
when it is built, so this module imports no other feature's graph types. For the type
checker the same name is the model row the resolver returns (imported from ``models``
under ``TYPE_CHECKING`` only: at run time the name must stay free for the lazy lookup).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.context import Info
from graph.multiplex import VIEWER_FREE
from graph.types.common import Connection, Node, describe_enum, model_type
from graph.types.node import register_node
from models import chat as m
from resolvers.chat import queries
from resolvers.chat.access import Side, other_side, read_seq, side_of, unread_count
from resolvers.chat.events import Change
from resolvers.ids import parse_global_id, to_global_id
from resolvers.safety import queries as safety_queries

if TYPE_CHECKING:
    from models.accounts import Company, User
    from models.profiles import SalaryPeriod
    from resolvers.safety.red_flags import RedFlagKind

describe_enum(
    m.ConversationStatus,
    "ConversationStatus",
    "Where a contact request stands.",
    {
        "REQUESTED": "The company wrote first; the candidate has not answered. The company cannot write more until they do.",
        "ACCEPTED": "The candidate accepted (or replied): both sides write freely.",
        "DECLINED": "The candidate declined: the company cannot write again (the candidate still can, which accepts).",
        "EXPIRED": "Unanswered for `CONTACT_REQUEST_EXPIRY_DAYS` days (default 14): closed by the platform, the company's quota slot returned. The company cannot write; a reply by the candidate still accepts.",
    },
)
describe_enum(
    m.MessageKind,
    "MessageKind",
    "Who wrote a message.",
    {
        "USER": "A participant wrote it.",
        "SYSTEM": "The platform wrote it (contact accepted, offer events); it has no sender.",
    },
)
describe_enum(
    Side,
    "ConversationSide",
    "The two sides of a conversation.",
    {
        "CANDIDATE": "The candidate.",
        "COMPANY": "The company: any of its members acts for it.",
    },
)
describe_enum(
    Change,
    "ConversationChange",
    "What changed in a conversation (`conversationUpdated`).",
    {
        "STARTED": "A company opened the conversation with a contact request.",
        "ACCEPTED": "The candidate accepted the contact request (or replied to it).",
        "DECLINED": "The candidate declined the contact request.",
        "EXPIRED": "The contact request went unanswered for `CONTACT_REQUEST_EXPIRY_DAYS` days and expired.",
        "READ": "A side read up to `seq` (read receipt).",
        "TYPING": "`actor` is typing. Never stored; show it for a few seconds.",
    },
)
PERIOD = strawberry.lazy("graph.types.profiles.types")
ACCOUNTS = strawberry.lazy("graph.types.accounts")


@strawberry.type(description="A salary range, as named in the first contact.")
class SalaryRange:
    min: int = strawberry.field(description="Lowest amount, 0–100,000,000.")
    max: int = strawberry.field(description="Highest amount, at least `min`, at most 100,000,000.")
    currency: str = strawberry.field(description="ISO 4217 currency code, such as EUR.")
    period: Annotated[SalaryPeriod, PERIOD] = strawberry.field(description="What the amounts are paid for.")


@strawberry.type(
    description="How reliably a company answers candidates, over the last 90 days. Fields are null when there is no data."
)
class CompanyResponsiveness:
    """Resolves from ``resolvers.chat.responsiveness.Responsiveness``."""

    @strawberry.field(
        description="Share (0–1) of candidates' messages the company answered within 7 days. Unanswered messages younger than 7 days are not counted yet."
    )
    def answered_within_week_share(self) -> float | None:
        share: float | None = self.answered_share  # type: ignore[attr-defined]  # self is the resolver layer's Responsiveness
        return share

    @strawberry.field(description="Median time, in seconds, from a candidate's message to the company's next reply.")
    def median_reply_seconds(self) -> float | None:
        median: float | None = self.median_reply_seconds  # self is the resolver layer's Responsiveness
        return median

    @strawberry.field(description="Number of candidates' messages in the last 90 days the figures are based on.")
    def candidate_messages(self) -> int:
        count: int = self.candidate_messages  # self is the resolver layer's Responsiveness
        return count


async def company_responsiveness(info: Info, company_id: int) -> CompanyResponsiveness:
    """The company's figures, for ``CompanyResponsiveness`` to map."""
    return await queries.company_responsiveness(info.context.loaders, company_id)  # type: ignore[return-value]  # CompanyResponsiveness resolves from Responsiveness


@strawberry.type(description="A conversation between one company and one candidate. Only they see it.")
@model_type(m.Conversation)
class Conversation(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Conversation", self.pk))  # type: ignore[attr-defined]  # self is the models.chat row

    status: m.ConversationStatus = strawberry.field(description="Where the contact request stands.")
    role_title: str = strawberry.field(description="The role the company contacted the candidate about, at most 120 characters.")
    created_at: datetime = strawberry.field(description="When the company sent the contact request.")
    last_activity_at: datetime = strawberry.field(description="When the last message was written.")
    responded_at: datetime | None = strawberry.field(description="When the candidate accepted or declined; null until then.")
    last_seq: int = strawberry.field(description="`seq` of the newest message (messages are numbered 1, 2, 3 … per conversation).")

    @strawberry.field(description="The salary range named in the contact request.")
    def salary_range(self, row: strawberry.Parent[m.Conversation]) -> SalaryRange:
        return SalaryRange(min=row.salary_min, max=row.salary_max, currency=row.salary_currency, period=row.salary_period)

    @strawberry.field(description="The company side.")
    async def company(self, info: Info, row: strawberry.Parent[m.Conversation]) -> Annotated[Company, ACCOUNTS]:
        return await queries.conversation_company(info.context.loaders, row)

    @strawberry.field(
        description="The candidate. Null for the company while the candidate is anonymous and has not accepted, or when the candidate's privacy settings hide them from it."
    )
    async def candidate(self, info: Info, row: strawberry.Parent[m.Conversation]) -> Annotated[User, ACCOUNTS] | None:
        return await queries.conversation_candidate(info.context.loaders, info.context.viewer, row)

    @strawberry.field(description="The viewer's side of this conversation.")
    def viewer_side(self, info: Info, row: strawberry.Parent[m.Conversation]) -> Side | None:
        return side_of(info.context.viewer, row)

    @strawberry.field(description="Messages after the viewer's side read position (0 when all are read).")
    def unread_count(self, info: Info, row: strawberry.Parent[m.Conversation]) -> int:
        side = side_of(info.context.viewer, row)
        return unread_count(row, side) if side else 0

    @strawberry.field(description="`seq` up to which the viewer's side has read.")
    def viewer_read_seq(self, info: Info, row: strawberry.Parent[m.Conversation]) -> int:
        return read_seq(row, side_of(info.context.viewer, row) or Side.COMPANY)

    @strawberry.field(description="`seq` up to which the other side has read (read receipts).")
    def other_side_read_seq(self, info: Info, row: strawberry.Parent[m.Conversation]) -> int:
        return read_seq(row, other_side(side_of(info.context.viewer, row) or Side.COMPANY))

    @strawberry.field(description="The newest message; null when there is none.", metadata=VIEWER_FREE)
    async def last_message(self, info: Info, row: strawberry.Parent[m.Conversation]) -> Message | None:
        return await queries.last_message(info.context.loaders, row)  # type: ignore[return-value]  # a models.chat row stands for its GraphQL type

    @strawberry.field(
        description="Messages in `seq` order, keyset-paginated both ways: `first`/`after` pages forward, `last`/`before` backward (`last: 20` is the newest 20). At most 100 per page, default 20."
    )
    async def messages(
        self,
        row: strawberry.Parent[m.Conversation],
        first: Annotated[int | None, strawberry.argument(description="Page size forward, 0–100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor: messages after this one.")] = None,
        last: Annotated[int | None, strawberry.argument(description="Page size backward, 0–100.")] = None,
        before: Annotated[str | None, strawberry.argument(description="Cursor: messages before this one.")] = None,
    ) -> Connection[Message]:
        page = await queries.messages_page(row, first=first, after=after, last=last, before=before)
        return Connection.from_page(page)


@strawberry.type(description="A message in a conversation. Immutable once written.")
@model_type(m.Message)
class Message(Node):
    @strawberry.field(description="Globally unique ID; pass it as `after` to resume `messageAdded`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Message", self.pk))  # type: ignore[attr-defined]  # self is the models.chat row

    seq: int = strawberry.field(description="Position in the conversation: 1, 2, 3 … without gaps.")
    body: str = strawberry.field(description="The text, 1–4,000 characters.")
    kind: m.MessageKind = strawberry.field(description="Written by a participant or by the platform.")
    created_at: datetime = strawberry.field(description="When it was written.")

    @strawberry.field(description="The client's idempotency key; only its sender sees it.")
    def client_message_id(self, info: Info, row: strawberry.Parent[m.Message]) -> str | None:
        return queries.client_message_id(info.context.viewer, row)

    @strawberry.field(description="The conversation it belongs to.", metadata=VIEWER_FREE)
    async def conversation(self, info: Info, row: strawberry.Parent[m.Message]) -> Conversation | None:
        return await queries.message_conversation(info.context.loaders, row)  # type: ignore[return-value]  # a models.chat row stands for its GraphQL type

    @strawberry.field(description="Which side wrote it; null for system messages.", metadata=VIEWER_FREE)
    async def sender_side(self, info: Info, row: strawberry.Parent[m.Message]) -> Side | None:
        return await queries.sender_side(info.context.loaders, row)

    @strawberry.field(
        description="Who wrote it. Null for system messages, for deleted users, and for a candidate the viewer may not identify (anonymous until accepted)."
    )
    async def sender(self, info: Info, row: strawberry.Parent[m.Message]) -> Annotated[User, ACCOUNTS] | None:
        return await queries.message_sender(info.context.loaders, info.context.viewer, row)

    @strawberry.field(
        description=(
            "Warning signs in a company's first contact (sent before the candidate wrote anything): asks for money or "
            "bank details, pushes to WhatsApp/Telegram/a personal email, or carries a link shortener. Such messages "
            "are delivered, never held back, and shown to the candidate with this warning; empty for everyone else "
            "and for messages without a warning sign."
        )
    )
    async def red_flags(
        self, info: Info, row: strawberry.Parent[m.Message]
    ) -> list[Annotated[RedFlagKind, strawberry.lazy("graph.types.safety.types")]]:
        return await safety_queries.red_flags_of(info.context.loaders, info.context.viewer, row)


@strawberry.type(description="A change in a conversation: contact answered, read receipt, typing.")
class ConversationUpdate:
    change: Change = strawberry.field(description="What changed.")
    conversation: Conversation = strawberry.field(description="The conversation, as it is now.")
    seq: int | None = strawberry.field(description="For READ: the `seq` the side read up to; null otherwise.")
    actor_side: Side | None = strawberry.field(
        description="Which side caused the change (the reader, the typist, the one who answered)."
    )


async def _conversation_nodes(info: Info, ids: list[int]) -> list[m.Conversation | None]:
    return await queries.conversations_for(info.context.loaders, info.context.viewer, ids)


async def _message_nodes(info: Info, ids: list[int]) -> list[m.Message | None]:
    return await queries.messages_for(info.context.loaders, info.context.viewer, ids)


register_node("Conversation", _conversation_nodes)
register_node("Message", _message_nodes)


def conversation_pk(value: str) -> int | None:
    """The primary key of a Conversation ID; ``None`` for a well-formed ID of another type."""
    type_name, pk = parse_global_id(value)
    return pk if type_name == "Conversation" else None
