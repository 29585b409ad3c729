"""Who takes part in a conversation: its candidate, and every member of its company.

Everyone else reads nothing: the functions here answer ``None`` for a conversation the
viewer may not see, exactly as for one that does not exist.

**A block closes the company's side.** Once the candidate blocks the company (by company,
or by a domain that covers the company's verified domain, ``resolvers.profiles.access``), every
member of the company loses the conversation and its offers, exactly as if they did not
exist: lists leave them out, ``conversation_for``/``node`` answer ``None``, writes are
refused as NOT_FOUND, open subscriptions end or skip them (``announce_block`` tells them
at once, across workers). The candidate keeps all of it; unblocking gives it back.
``side_of``/``party_side`` stay pure (who the parties are); the async functions here add
the block check, which needs the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Protocol, TypeVar

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.accounts import Company, User
from models.chat import Conversation
from models.profiles import Block, Profile
from resolvers.chat.events import access_event, channels_of
from resolvers.errors import Forbidden
from resolvers.events import Publisher
from resolvers.profiles.access import blocking_domains, blocks_of

logger = logging.getLogger("openforwork.chat")

M = TypeVar("M", bound=Model)
R = TypeVar("R", bound="PartyRow")


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


class PartyRow(Protocol):
    """A row between one company and one candidate (a conversation, an offer)."""

    company_id: int
    candidate_id: int


async def party_rows(model: type[M], viewer: User, what: str) -> QuerySet[M]:
    """Rows of ``model`` (with ``company_id`` and ``candidate_id``) the viewer is party
    to; for employers, without the candidates who block their company."""
    if viewer.is_candidate:
        return model.filter(candidate_id=viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        rows = model.filter(company_id=viewer.company_id)
        company = await Company.get_or_none(id=viewer.company_id)
        if company is None:
            return rows
        blocking = Subquery(Block.filter(blocks_of(company)).values("profile_id"))
        return rows.exclude(candidate_id__in=Subquery(Profile.filter(id__in=blocking).values("user_id")))
    raise Forbidden(f"Only candidates and employers have {what}.")


async def candidates_blocking(company_id: int, candidate_ids: Iterable[int]) -> set[int]:
    """Candidates (user ids) among ``candidate_ids`` who block the company; two queries."""
    wanted = set(candidate_ids)
    if not wanted:
        return set()
    company = await Company.get_or_none(id=company_id)
    if company is None:
        return set()
    rows = await Block.filter(blocks_of(company), profile__user_id__in=wanted).values_list(
        "profile__user_id", flat=True
    )
    return set(rows)


async def company_blocked(company_id: int, candidate_id: int) -> bool:
    """Does the candidate block the company (so its side of their rows is closed)?"""
    return bool(await candidates_blocking(company_id, [candidate_id]))


async def without_blocked(viewer: User | None, rows: Sequence[R | None]) -> list[R | None]:
    """``rows`` (already checked for party) with ``None`` where the viewer is on the
    company side of a candidate who blocks the company. Two queries for the batch."""
    if viewer is None or not viewer.is_employer or viewer.company_id is None:
        return list(rows)
    candidate_ids = {row.candidate_id for row in rows if row is not None and row.company_id == viewer.company_id}
    blocking = await candidates_blocking(viewer.company_id, candidate_ids)
    return [
        None if row is not None and row.company_id == viewer.company_id and row.candidate_id in blocking else row
        for row in rows
    ]


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
            try:
                await broker.publish_many(channels_of(conversation), access_event(conversation.pk))
            except Exception:  # committed: subscriptions still re-check access on every event
                logger.exception("could not announce a block on conversation %s", conversation.pk)


def side_of(viewer: User | None, conversation: Conversation) -> Side | None:
    """The viewer's side, or ``None`` when the viewer does not take part."""
    return party_side(viewer, company_id=conversation.company_id, candidate_id=conversation.candidate_id)


async def visible_conversations(viewer: User) -> QuerySet[Conversation]:
    """The viewer's conversations: a candidate's own, an employer's company's (without
    the candidates who block the company)."""
    return await party_rows(Conversation, viewer, "conversations")


async def conversation_for(viewer: User, conversation_id: int) -> Conversation | None:
    """The conversation if the viewer takes part in it (and, on the company side, the
    candidate does not block the company), else ``None``."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    side = side_of(viewer, conversation) if conversation is not None else None
    if conversation is None or side is None:
        return None
    if side == Side.COMPANY and await company_blocked(conversation.company_id, conversation.candidate_id):
        return None
    return conversation


def read_seq(conversation: Conversation, side: Side) -> int:
    return conversation.candidate_read_seq if side == Side.CANDIDATE else conversation.company_read_seq


def unread_count(conversation: Conversation, side: Side) -> int:
    """Messages after the side's read position. Sending moves one's own read position,
    so one's own messages never count as unread."""
    return max(0, conversation.last_seq - read_seq(conversation, side))
