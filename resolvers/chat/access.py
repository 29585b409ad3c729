"""Who takes part in a conversation: its candidate, and every member of its company.

Everyone else reads nothing: the functions here answer ``None`` for a conversation the
viewer may not see, exactly as for one that does not exist.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.accounts import User
from models.chat import Conversation
from resolvers.errors import Forbidden

M = TypeVar("M", bound=Model)


class Side(str, Enum):
    """The viewer's side of a conversation."""

    CANDIDATE = "CANDIDATE"
    COMPANY = "COMPANY"


def party_side(viewer: User | None, *, company_id: int, candidate_id: int) -> Side | None:
    """Which side of a company–candidate pair the viewer is on (a conversation, an
    offer): the candidate, or any member of the company; ``None`` for everyone else."""
    if viewer is None or viewer.deleted_at is not None:
        return None
    if viewer.is_candidate and viewer.pk == candidate_id:
        return Side.CANDIDATE
    if viewer.is_employer and viewer.company_id is not None and viewer.company_id == company_id:
        return Side.COMPANY
    return None


def party_rows(model: type[M], viewer: User, what: str) -> QuerySet[M]:
    """Rows of ``model`` (with ``company_id`` and ``candidate_id``) the viewer is party to."""
    if viewer.is_candidate:
        return model.filter(candidate_id=viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return model.filter(company_id=viewer.company_id)
    raise Forbidden(f"Only candidates and employers have {what}.")


def side_of(viewer: User | None, conversation: Conversation) -> Side | None:
    """The viewer's side, or ``None`` when the viewer does not take part."""
    return party_side(viewer, company_id=conversation.company_id, candidate_id=conversation.candidate_id)


def visible_conversations(viewer: User) -> QuerySet[Conversation]:
    """The viewer's conversations: a candidate's own, an employer's company's."""
    return party_rows(Conversation, viewer, "conversations")


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
