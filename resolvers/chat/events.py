"""Chat's broker channels and event shapes. Events carry ids only; subscribers re-read.

Channels (the broker adds its own prefix):

- ``conversation:<id>``: everything about one conversation;
- ``inbox:user:<candidate user id>`` and ``inbox:company:<company id>``: the same events
  for every conversation of a candidate or of a company (the inbox subscriptions).

Event kinds: ``message`` (``messageId``, ``seq``) and ``conversation`` (``change``:
STARTED, ACCEPTED, DECLINED, READ, TYPING; ``userId`` of the actor, ``seq`` for READ),
and ``access`` (nothing to deliver: who may see the conversation changed — a block —
so subscribers re-check access at once).
"""

from __future__ import annotations

from typing import Any

from models.chat import Conversation
from resolvers.events import (
    candidate_inbox_channel,
    company_inbox_channel,
    conversation_channel,
)


def channels_of(conversation: Conversation) -> tuple[str, str, str]:
    """Every channel an event about ``conversation`` is published on."""
    return (
        conversation_channel(conversation.pk),
        candidate_inbox_channel(conversation.candidate_id),
        company_inbox_channel(conversation.company_id),
    )


def message_event(conversation_id: int, message_id: int, seq: int) -> dict[str, Any]:
    return {"type": "message", "conversationId": conversation_id, "messageId": message_id, "seq": seq}


def conversation_event(
    conversation_id: int, change: str, *, user_id: int | None = None, seq: int | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "conversation", "conversationId": conversation_id, "change": change}
    if user_id is not None:
        event["userId"] = user_id
    if seq is not None:
        event["seq"] = seq
    return event


ACCESS_TYPE = "access"


def access_event(conversation_id: int) -> dict[str, Any]:
    return {"type": ACCESS_TYPE, "conversationId": conversation_id}
