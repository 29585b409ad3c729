"""What chat announces after commit, and on which channels. Events carry ids only;
subscribers re-read (``subscriptions/chat.py``).

Channels (named in ``resolvers/events.py``, the broker adds its own prefix): every event
about a conversation goes to ``conversation:<id>``, to its candidate's inbox
``inbox:user:<user id>`` and to its company's inbox ``inbox:company:<company id>``
(``channels_of``).

Event kinds: ``message`` (``messageId``, ``seq``); ``conversation`` (``change``, a
``Change``; ``userId`` of the actor, ``seq`` for READ); ``access`` (nothing to deliver:
who may see the conversation changed — a block — so subscribers re-check access at once).

Publish only once the rows are committed, through ``publish_events``/``publish_message``
(built on ``resolvers.events.publish_after_commit``: a broker failure is logged, never
raised; subscribers catch up from the database).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from models.accounts import Company
from models.chat import Conversation, Message
from resolvers.events import (
    Publisher,
    candidate_inbox_channel,
    company_inbox_channel,
    conversation_channel,
    publish_after_commit,
)
from resolvers.profiles.access import blocking_domains

__all__ = [
    "ACCESS_TYPE",
    "Change",
    "access_event",
    "announce_block",
    "channels_of",
    "conversation_channel",
    "conversation_event",
    "message_event",
    "publish_events",
    "publish_message",
]

ACCESS_TYPE = "access"


class Change(str, Enum):
    """What a ``conversation`` event says changed (``conversationUpdated``)."""

    STARTED = "STARTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    READ = "READ"
    TYPING = "TYPING"


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
    """``change`` is a ``Change`` value."""
    event: dict[str, Any] = {"type": "conversation", "conversationId": conversation_id, "change": change}
    if user_id is not None:
        event["userId"] = user_id
    if seq is not None:
        event["seq"] = seq
    return event


def access_event(conversation_id: int) -> dict[str, Any]:
    return {"type": ACCESS_TYPE, "conversationId": conversation_id}


async def publish_events(broker: Publisher, conversation: Conversation, events: list[dict[str, Any]]) -> None:
    """Publish ``events``, in order, on every channel of ``conversation``. After commit only."""
    for event in events:
        await publish_after_commit(broker, channels_of(conversation), event)


async def publish_message(broker: Publisher, message: Message, conversation: Conversation | None = None) -> None:
    """Announce a committed message to subscribers (ids only)."""
    if conversation is None or conversation.pk != message.conversation_id:
        conversation = await Conversation.get(id=message.conversation_id)
    await publish_events(broker, conversation, [message_event(conversation.pk, message.pk, message.seq)])


async def announce_block(broker: Publisher, candidate_id: int, company_ids: Iterable[int] | None, domain: str | None) -> None:
    """After a block committed: tell every open subscription on the conversations it
    closes (company side) to re-check access now, on every worker. ``company_ids`` names
    blocked companies; ``domain`` a blocked domain (covering its subdomains)."""
    conversations = await Conversation.filter(candidate_id=candidate_id)
    if not conversations:
        return
    named = set(company_ids or ())
    companies = {c.pk: c for c in await Company.filter(id__in={c.company_id for c in conversations})}
    for conversation in conversations:
        company = companies.get(conversation.company_id)
        if company is None:
            continue
        if company.pk in named or (domain is not None and domain in blocking_domains(company)):
            await publish_after_commit(broker, channels_of(conversation), access_event(conversation.pk))
