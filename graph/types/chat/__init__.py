"""Chat in GraphQL: ``types`` (Conversation, Message, enums, node resolvers) and
``operations`` (inputs, payloads, the Query/Mutation/Subscription roots)."""

from graph.types.chat.operations import ChatMutation, ChatQuery, ChatSubscription
from graph.types.chat.types import CompanyResponsiveness, Conversation, Message, company_responsiveness

__all__ = [
    "ChatMutation",
    "ChatQuery",
    "ChatSubscription",
    "CompanyResponsiveness",
    "Conversation",
    "Message",
    "company_responsiveness",
]
