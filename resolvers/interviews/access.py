"""Who is party to an interview: its candidate, and every member of its company (the
company side closes once the candidate blocks the company, as for offers). Everyone else
reads nothing, exactly as if the interview did not exist. Feedback is the company's:
``sees_feedback`` is the one rule for it."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.accounts import User
from models.interviews import Interview
from resolvers.chat.access import Side, company_blocked, party_rows, party_side
from resolvers.errors import UserErrorCode, UserErrors


def side_of_interview(viewer: User | None, interview: Interview) -> Side | None:
    """The viewer's side of an interview, or ``None`` when they are not party to it."""
    return party_side(viewer, company_id=interview.company_id, candidate_id=interview.candidate_id)


async def party_to_interview(viewer: User | None, interview: Interview) -> Side | None:
    """``side_of_interview``, and ``None`` for the company side once the candidate blocks it."""
    side = side_of_interview(viewer, interview)
    if side == Side.COMPANY and await company_blocked(interview.company_id, interview.candidate_id):
        return None
    return side


async def visible_interviews(viewer: User) -> QuerySet[Interview]:
    """A candidate's interviews, or an employer's company's (without candidates who block it)."""
    return await party_rows(Interview, viewer, "interviews")


def sees_feedback(viewer: User | None, interview: Interview) -> bool:
    """Interview feedback is the company's data: its members read it, the candidate never."""
    return side_of_interview(viewer, interview) == Side.COMPANY


def not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such interview.", ["interviewId"])
