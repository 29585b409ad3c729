"""Who takes part in a conversation, and who may write in it: chat's two access rules.

**Who takes part.** The conversation's candidate, and every member of its company
(``own_side``, ``party_side``, ``side_of``). Everyone else reads nothing: the functions
here answer ``None`` for a conversation the viewer may not see, exactly as for one that
does not exist.

**A block closes the company's side.** Once the candidate blocks the company (by company,
or by a domain that covers the company's verified domain, ``resolvers.profiles.access``), every
member of the company loses the conversation and its offers, exactly as if they did not
exist: lists leave them out, ``conversation_for``/``node`` answer ``None``, writes are
refused as NOT_FOUND, open subscriptions end or skip them (``resolvers.chat.events.announce_block``
tells them at once, across workers). The candidate keeps all of it; unblocking gives it back.
``side_of``/``party_side`` stay pure (who the parties are); the async functions here add
the block check, which needs the database.

**Who may write** (``write_refusal``: sendMessage, sendTypingIndicator). The candidate,
always (replying to a REQUESTED or DECLINED contact request accepts it). The company side
once the candidate accepted (CONVERSATION_NOT_ACCEPTED while REQUESTED,
CONVERSATION_DECLINED after a decline), and only while the candidate does not block it
and still has an account (NOT_FOUND otherwise, like a conversation that does not exist).

The fast path of sendMessage (``resolvers/chat/send_statement.py``) needs the same rule as
SQL, for the case it serves: writing with no side effect, in an ACCEPTED conversation.
``writable_condition`` states it next to the Python rule; ``tests/resolvers/chat/test_write_rule.py``
runs both over one table of cases on every backend and asserts they agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TypeVar

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.profiles import Block, Profile
from resolvers.errors import Forbidden, UserErrorCode, UserErrors
from resolvers.profiles.access import blocks_company_by_column_condition, blocks_of
from resolvers.statements import point_statements

M = TypeVar("M", bound=Model)
R = TypeVar("R", bound="PartyRow")


class Side(str, Enum):
    """The viewer's side of a conversation."""

    CANDIDATE = "CANDIDATE"
    COMPANY = "COMPANY"


# The column of a conversation (or offer) row naming each side, and each side's read position.
PARTY_COLUMN = {Side.CANDIDATE: "candidate_id", Side.COMPANY: "company_id"}
READ_SEQ_COLUMN = {Side.CANDIDATE: "candidate_read_seq", Side.COMPANY: "company_read_seq"}


class PartyRow(Protocol):
    """A row between one company and one candidate (a conversation, an offer)."""

    company_id: int
    candidate_id: int


# --- Who takes part --------------------------------------------------------------------

def own_side(user: User | None) -> tuple[Side, int] | None:
    """The side ``user`` acts for in every conversation, with the id naming that side on
    a row (``PARTY_COLUMN``): a candidate is themself, an employer is their company.
    ``None`` for a deleted account and for an employer without a company."""
    if user is None or user.deleted_at is not None:
        return None
    if user.is_candidate:
        return Side.CANDIDATE, user.pk
    if user.is_employer and user.company_id is not None:
        return Side.COMPANY, user.company_id
    return None


def party_side(viewer: User | None, *, company_id: int, candidate_id: int) -> Side | None:
    """Which side of a company–candidate pair the viewer is on (a conversation, an
    offer): the candidate, or any member of the company; ``None`` for everyone else."""
    own = own_side(viewer)
    if own is None:
        return None
    side, party = own
    return side if party == (candidate_id if side == Side.CANDIDATE else company_id) else None


def side_of(viewer: User | None, conversation: Conversation) -> Side | None:
    """The viewer's side, or ``None`` when the viewer does not take part."""
    return party_side(viewer, company_id=conversation.company_id, candidate_id=conversation.candidate_id)


def author_side(row: PartyRow, user_id: int) -> Side:
    """The side a participant's message or action belongs to: the candidate's own, else
    the company's (any other participant is one of its members)."""
    return Side.CANDIDATE if user_id == row.candidate_id else Side.COMPANY


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
    rows = await Block.filter(blocks_of(company), profile__user_id__in=wanted).values("profile__user_id")
    return {row["profile__user_id"] for row in rows}


@point_statements
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
    """``seq`` up to which ``side`` has read."""
    return conversation.candidate_read_seq if side == Side.CANDIDATE else conversation.company_read_seq


def other_side(side: Side) -> Side:
    return Side.COMPANY if side == Side.CANDIDATE else Side.CANDIDATE


def unread_count(conversation: Conversation, side: Side) -> int:
    """Messages after the side's read position. Sending moves one's own read position,
    so one's own messages never count as unread."""
    return max(0, conversation.last_seq - read_seq(conversation, side))


# --- Who may write ---------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateStanding:
    """What the company side's right to write depends on, about the candidate."""

    present: bool  # the candidate still has a profile (deleting the account erases it)
    blocks_company: bool


def write_refusal(side: Side | None, status: ConversationStatus, candidate: CandidateStanding) -> UserErrorCode | None:
    """Why a writer on ``side`` may not write in a conversation in ``status``; ``None``
    when they may. The one definition of the rule (see the module docstring)."""
    if side is None:
        return UserErrorCode.NOT_FOUND
    if side == Side.CANDIDATE:
        return None  # always; a reply to a REQUESTED, DECLINED or EXPIRED request accepts it
    if candidate.blocks_company:
        return UserErrorCode.NOT_FOUND
    if status in (ConversationStatus.REQUESTED, ConversationStatus.EXPIRED):
        return UserErrorCode.CONVERSATION_NOT_ACCEPTED
    if status == ConversationStatus.DECLINED:
        return UserErrorCode.CONVERSATION_DECLINED
    if not candidate.present:
        return UserErrorCode.NOT_FOUND
    return None


REFUSALS = {
    UserErrorCode.NOT_FOUND: "No such conversation.",
    UserErrorCode.CONVERSATION_NOT_ACCEPTED: "The candidate has not accepted your contact request yet; wait for their answer.",
    UserErrorCode.CONVERSATION_DECLINED: "The candidate declined your contact request; you cannot message them again.",
}


def refused(code: UserErrorCode) -> UserErrors:
    """The user error for a refusal of ``write_refusal`` (or of visibility: NOT_FOUND)."""
    return UserErrors.single(code, REFUSALS[code], ["conversationId"])


async def candidate_standing(company_id: int, candidate_id: int) -> CandidateStanding:
    profile = await Profile.filter(user_id=candidate_id).exists()
    return CandidateStanding(present=profile, blocks_company=profile and await company_blocked(company_id, candidate_id))


@dataclass(frozen=True)
class WriteAccess:
    """A conversation the writer takes part in, their side, and ``write_refusal``'s answer."""

    conversation: Conversation
    side: Side
    refusal: UserErrorCode | None


async def write_access(writer: User, conversation_id: int) -> WriteAccess | None:
    """The write rule read from the database. ``None`` when the writer may not even see
    the conversation (``conversation_for``): callers answer NOT_FOUND before anything else."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    side = side_of(writer, conversation) if conversation is not None else None
    if conversation is None or side is None:
        return None
    standing = CandidateStanding(present=True, blocks_company=False)
    if side == Side.COMPANY:
        standing = await candidate_standing(conversation.company_id, conversation.candidate_id)
        if standing.blocks_company:
            return None
    return WriteAccess(conversation, side, write_refusal(side, conversation.status, standing))


def writable_condition(side: Side) -> str:
    """``write_refusal`` as SQL over the ``conversation`` row, for a writer on ``side``,
    narrowed to writes without side effects (status ACCEPTED): true exactly when such a
    writer may append a plain message. One ``?`` parameter: the writer's party id
    (``own_side``)."""
    condition = f"conversation.{PARTY_COLUMN[side]} = ? AND conversation.status = '{ConversationStatus.ACCEPTED.value}'"
    if side == Side.COMPANY:
        blocked = blocks_company_by_column_condition("p.id", "conversation.company_id")
        condition += f" AND EXISTS (SELECT 1 FROM profile p WHERE p.user_id = conversation.candidate_id AND NOT {blocked})"
    return condition
