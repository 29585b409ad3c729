"""Chat in GraphQL: ``types`` (Conversation, Message, ConversationUpdate, the enums,
CompanyResponsiveness, node resolvers), ``inputs`` (inputs and payloads) and
``operations`` (the Query/Mutation/Subscription roots)."""

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
