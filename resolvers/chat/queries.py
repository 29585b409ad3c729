"""Reading conversations and messages: the viewer's inbox and a conversation's history.

Both are keyset pages: conversations by newest activity (``last_activity_at``, then id,
descending), messages by their per-conversation ``seq`` — exact on every backend,
whatever order concurrent transactions committed in.
"""

from __future__ import annotations

from models.accounts import User
from models.chat import Conversation, Message
from resolvers.chat.access import visible_conversations
from resolvers.pagination import Page, SortKey, keyset_page

CONVERSATION_ORDER = (SortKey("last_activity_at", descending=True, kind="datetime"), SortKey("id", descending=True))
MESSAGE_ORDER = (SortKey("seq"),)
REPLAY_BATCH = 100


async def conversations_page(viewer: User, *, first: int | None = None, after: str | None = None) -> Page[Conversation]:
    return await keyset_page(await visible_conversations(viewer), CONVERSATION_ORDER, first=first, after=after)


async def messages_page(
    conversation: Conversation,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Page[Message]:
    """Messages of a conversation the caller already checked the viewer takes part in."""
    return await keyset_page(
        Message.filter(conversation_id=conversation.pk), MESSAGE_ORDER, first=first, after=after, last=last, before=before
    )


async def messages_after(conversation_id: int, seq: int, limit: int = REPLAY_BATCH) -> list[Message]:
    """Committed messages with a ``seq`` above ``seq``, in order (replay and catch-up)."""
    return list(
        await Message.filter(conversation_id=conversation_id, seq__gt=seq).order_by("seq").limit(limit)
    )
