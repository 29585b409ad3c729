"""Chat's reads: the viewer's inbox, a conversation's history, and what each field of a
conversation or message may show the viewer.

Both lists are keyset pages: conversations by newest activity (``last_activity_at``,
then id, descending), messages by their per-conversation ``seq`` — exact on every
backend, whatever order concurrent transactions committed in.

The per-object reads take the request's ``Loaders`` (batched per request, or per
subscription event) and apply the access rules of ``access.py``: a conversation of
others is ``None``; a candidate the viewer may not identify (anonymous until accepted,
``resolvers.profiles.access``) is ``None`` as a conversation's candidate and as a sender.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.accounts import Company, User
from models.chat import Conversation, Message
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.chat.access import Side, author_side, side_of, visible_conversations, without_blocked
from resolvers.chat.loaders import (
    candidate_access_by_viewer_and_user,
    conversations_by_id,
    messages_by_conversation_and_seq,
    messages_by_id,
    responsiveness_by_company_id,
)
from resolvers.chat.responsiveness import Responsiveness
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.statements import point_statements

CONVERSATION_ORDER = (SortKey("last_activity_at", descending=True, kind="datetime"), SortKey("id", descending=True))
MESSAGE_ORDER = (SortKey("seq"),)
REPLAY_BATCH = 100


# --- Lists -------------------------------------------------------------------------------

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


@point_statements
async def messages_after(conversation_id: int, seq: int, limit: int = REPLAY_BATCH) -> list[Message]:
    """Committed messages with a ``seq`` above ``seq``, in order (replay and catch-up)."""
    return list(
        await Message.filter(conversation_id=conversation_id, seq__gt=seq).order_by("seq").limit(limit)
    )


# --- Objects by id (``node``, ``conversation(id:)``) ------------------------------------------

async def conversations_for(loaders: Loaders, viewer: User | None, ids: Sequence[int]) -> list[Conversation | None]:
    """The conversations the viewer takes part in, in ``ids`` order; ``None`` for the
    others (and, on the company side, for candidates who block the company)."""
    rows = await loaders(conversations_by_id).load_many(list(ids))
    parties = [row if row is not None and side_of(viewer, row) is not None else None for row in rows]
    return await without_blocked(viewer, parties)


async def messages_for(loaders: Loaders, viewer: User | None, ids: Sequence[int]) -> list[Message | None]:
    """Messages of conversations the viewer takes part in, in ``ids`` order."""
    rows = await loaders(messages_by_id).load_many(list(ids))
    conversations = await conversations_for(loaders, viewer, [row.conversation_id if row else 0 for row in rows])
    return [row if row is not None and conversation is not None else None for row, conversation in zip(rows, conversations, strict=True)]


# --- Fields of a conversation or message ---------------------------------------------------

async def candidate_visible(loaders: Loaders, viewer: User | None, conversation: Conversation) -> bool:
    """May the viewer see who the conversation's candidate is? The candidate always;
    the company side as the candidate's privacy decides (anonymity, blocks)."""
    side = side_of(viewer, conversation)
    if viewer is None or side is None:
        return False
    if side == Side.CANDIDATE:
        return True
    access = await loaders(candidate_access_by_viewer_and_user).load((viewer.pk, conversation.candidate_id))
    return access is not None and access.identity


async def conversation_candidate(loaders: Loaders, viewer: User | None, conversation: Conversation) -> User | None:
    if not await candidate_visible(loaders, viewer, conversation):
        return None
    user: User | None = await loaders(users_by_id).load(conversation.candidate_id)
    return user


async def conversation_company(loaders: Loaders, conversation: Conversation) -> Company:
    company = await loaders(companies_by_id).load(conversation.company_id)
    assert company is not None  # a conversation's company exists (foreign key, deleted with it)
    return company


async def last_message(loaders: Loaders, conversation: Conversation) -> Message | None:
    message: Message | None = await loaders(messages_by_conversation_and_seq).load((conversation.pk, conversation.last_seq))
    return message


async def message_conversation(loaders: Loaders, message: Message) -> Conversation | None:
    conversation: Conversation | None = await loaders(conversations_by_id).load(message.conversation_id)
    return conversation


async def sender_side(loaders: Loaders, message: Message) -> Side | None:
    """Which side wrote ``message``; ``None`` for a system message."""
    if message.sender_id is None:
        return None
    conversation = await message_conversation(loaders, message)
    return author_side(conversation, message.sender_id) if conversation is not None else Side.COMPANY


async def message_sender(loaders: Loaders, viewer: User | None, message: Message) -> User | None:
    """Who wrote ``message``: ``None`` for system messages, deleted users, and a
    candidate the viewer may not identify."""
    if message.sender_id is None:
        return None
    conversation = await message_conversation(loaders, message)
    if conversation is None:
        return None
    if message.sender_id == conversation.candidate_id and not await candidate_visible(loaders, viewer, conversation):
        return None
    user: User | None = await loaders(users_by_id).load(message.sender_id)
    return None if user is None or user.deleted_at is not None else user


def client_message_id(viewer: User | None, message: Message) -> str | None:
    """The idempotency key, for its sender only."""
    return message.client_message_id if viewer is not None and viewer.pk == message.sender_id else None


async def company_responsiveness(loaders: Loaders, company_id: int) -> Responsiveness:
    responsiveness: Responsiveness = await loaders(responsiveness_by_company_id).load(company_id)
    return responsiveness
