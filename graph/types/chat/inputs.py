"""Chat's input types and mutation payloads.

Payloads are declared once per shape: ``ConversationPayload`` (the conversation and the
user errors) serves three mutations whose subclasses set only the GraphQL name, the
description and what the conversation field means there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.types.chat.types import Conversation, Message
from graph.types.common import UserError
from resolvers.chat.contact import SalaryRange

if TYPE_CHECKING:
    from models.profiles import SalaryPeriod

ERRORS = "Why nothing happened; empty on success."


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
    period: Annotated[SalaryPeriod, strawberry.lazy("graph.types.profiles.types")] = strawberry.field(
        description="What the amounts are paid for."
    )

    def as_range(self) -> SalaryRange:
        return SalaryRange(self.min, self.max, self.currency, self.period)


@strawberry.input(description="A first contact: role, pay and a first message. Employers only.")
class StartConversationInput:
    candidate_id: strawberry.ID = strawberry.field(
        description="The candidate's User ID, or their Profile ID (`SearchCandidate.profileId` of a search result; the result's own `SearchCandidate.id` is accepted too). A candidate who hid their profile or blocked your company is NOT_FOUND, exactly like an unknown ID."
    )
    role_title: str | None = strawberry.field(default=None, description="The role you are hiring for, 1–120 characters. Required unless `roleId` names one (then the role's title is used when omitted).")
    salary_range: SalaryRangeInput | None = strawberry.field(default=None, description="The pay for the role. Required unless `roleId` names one (then the role's range is used when omitted, checked against the candidate's floor like any range).")
    message: str = strawberry.field(description="The first message, 1–4,000 characters.")
    role_id: strawberry.ID | None = strawberry.field(default=None, description="One of your company's roles (a `HiringRole` ID): prefills `roleTitle` and `salaryRange`, and puts the candidate on the role's pipeline as CONTACTED. NOT_FOUND for another company's role.")


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
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `sendMessage`.")
class SendMessagePayload:
    message: Message | None = strawberry.field(description="The message (the original one for a repeated clientMessageId); null on failure.")
    conversation: Conversation | None = strawberry.field(description="The conversation after sending; null on failure.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of a mutation on one conversation.")
class ConversationPayload:
    conversation: Conversation | None = strawberry.field(description="The conversation; null on failure.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `respondToContact`.")
class RespondToContactPayload(ConversationPayload):
    conversation: Conversation | None = strawberry.field(description="The conversation, ACCEPTED or DECLINED; null on failure.")


@strawberry.type(description="Result of `markConversationRead`.")
class MarkConversationReadPayload(ConversationPayload):
    conversation: Conversation | None = strawberry.field(description="The conversation with the new read position; null on failure.")


@strawberry.type(description="Result of `sendTypingIndicator`.")
class SendTypingIndicatorPayload(ConversationPayload):
    pass
