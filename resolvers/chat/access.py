"""Who takes part in a conversation: its candidate, and every member of its company.

Everyone else reads nothing: the functions here answer ``None`` for a conversation the
viewer may not see, exactly as for one that does not exist.
"""

from __future__ import annotations

from enum import Enum

from tortoise.queryset import QuerySet

from models.accounts import User
from models.chat import Conversation
from resolvers.errors import Forbidden


class Side(str, Enum):
    """The viewer's side of a conversation."""

    CANDIDATE = "CANDIDATE"
    COMPANY = "COMPANY"


def side_of(viewer: User | None, conversation: Conversation) -> Side | None:
    """The viewer's side, or ``None`` when the viewer does not take part."""
    if viewer is None or viewer.deleted_at is not None:
        return None
    if viewer.is_candidate and viewer.pk == conversation.candidate_id:
        return Side.CANDIDATE
    if viewer.is_employer and viewer.company_id is not None and viewer.company_id == conversation.company_id:
        return Side.COMPANY
    return None


def visible_conversations(viewer: User) -> QuerySet[Conversation]:
    """The viewer's conversations: a candidate's own, an employer's company's."""
    if viewer.is_candidate:
        return Conversation.filter(candidate_id=viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return Conversation.filter(company_id=viewer.company_id)
    raise Forbidden("Only candidates and employers have conversations.")


async def conversation_for(viewer: User, conversation_id: int) -> Conversation | None:
    """The conversation if the viewer takes part in it, else ``None``."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    if conversation is None or side_of(viewer, conversation) is None:
        return None
    return conversation


def read_seq(conversation: Conversation, side: Side) -> int:
    return conversation.candidate_read_seq if side == Side.CANDIDATE else conversation.company_read_seq


def unread_count(conversation: Conversation, side: Side) -> int:
    """Messages after the side's read position. Sending moves one's own read position,
    so one's own messages never count as unread."""
    return max(0, conversation.last_seq - read_seq(conversation, side))
