"""Reading interviews, with expiry applied (``resolvers.interviews.expiry``) and the same
access rule on every path: the ``interview``/``interviews`` roots, ``node(id:)``, an
update event, and the fields of an interview (its candidate passes the profile privacy
rule; its feedback is the company's). Field reads take the request's ``Loaders``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from models.accounts import Company, User
from models.chat import Conversation
from models.interviews import Interview, InterviewFeedback, InterviewStatus
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.chat import without_blocked
from resolvers.chat.loaders import candidate_access_by_viewer_and_user, conversations_by_id
from resolvers.events import Publisher
from resolvers.interviews.access import party_to_interview, sees_feedback, side_of_interview, visible_interviews
from resolvers.interviews.calendar import UTC_NAME, ics, local_time
from resolvers.interviews.expiry import expire_due, expire_due_in
from resolvers.interviews.loaders import (
    assignments_by_interview_id,
    feedback_by_interview_id,
    interviews_by_id,
    time_zones_by_user_id,
)
from resolvers.interviews.proposal import slot_times
from resolvers.loading import Loaders
from resolvers.pagination import Page, newest_page
from resolvers.validation import valid_time_zone


async def interview_for(broker: Publisher, viewer: User | None, interview_id: int) -> Interview | None:
    """The interview if the viewer is party to it (expiry applied), else ``None``."""
    interview = await Interview.get_or_none(id=interview_id)
    if interview is None or await party_to_interview(viewer, interview) is None:
        return None
    await expire_due(broker, [interview])
    return interview


async def interviews_for(
    loaders: Loaders, broker: Publisher, viewer: User | None, ids: Sequence[int]
) -> list[Interview | None]:
    """``interview_for`` in a batch (``node``/``nodes``), in ``ids`` order."""
    interviews = await loaders(interviews_by_id).load_many(list(ids))
    parties = [i if i is not None and side_of_interview(viewer, i) is not None else None for i in interviews]
    visible = await without_blocked(viewer, parties)
    await expire_due(broker, visible)
    return visible


async def interviews_page(
    broker: Publisher, viewer: User, *, status: InterviewStatus | None = None,
    first: int | None = None, after: str | None = None,
) -> Page[Interview]:
    """The viewer's interviews, newest first; due proposals expire first, so they list as EXPIRED."""
    rows = await visible_interviews(viewer)
    return await newest_page(rows, refresh=lambda due: expire_due_in(broker, due), status=status, first=first, after=after)


# --- An interview's fields (the viewer is party to it) -------------------------------

async def conversation_of(loaders: Loaders, interview: Interview) -> Conversation | None:
    return await loaders(conversations_by_id).load(interview.conversation_id)


async def company_of(loaders: Loaders, interview: Interview) -> Company | None:
    return await loaders(companies_by_id).load(interview.company_id)


async def candidate_of(loaders: Loaders, viewer: User | None, interview: Interview) -> User | None:
    """The candidate, if the profile privacy rule lets the viewer see who it is."""
    if viewer is None:
        return None
    access = await loaders(candidate_access_by_viewer_and_user).load((viewer.pk, interview.candidate_id))
    if access is None or not (access.visible and access.identity):
        return None
    user = await loaders(users_by_id).load(interview.candidate_id)
    return user if user is not None and user.deleted_at is None else None


async def interviewers_of(loaders: Loaders, interview: Interview) -> list[User]:
    """The interviewers (members of the company), in the order they were named."""
    assignments = await loaders(assignments_by_interview_id).load(interview.pk)
    users = await loaders(users_by_id).load_many([a.interviewer_id for a in assignments])
    return [u for u in users if u is not None]


async def feedback_of(loaders: Loaders, viewer: User | None, interview: Interview) -> list[InterviewFeedback] | None:
    """Every interviewer's feedback for the company's members; ``None`` for the candidate."""
    if not sees_feedback(viewer, interview):
        return None
    return await loaders(feedback_by_interview_id).load(interview.pk)


async def author_of(loaders: Loaders, feedback: InterviewFeedback) -> User | None:
    """The interviewer who wrote the feedback (read only by the company's members)."""
    user = await loaders(users_by_id).load(feedback.author_id)
    return user if user is not None and user.deleted_at is None else None


def slots_of(interview: Interview) -> list[datetime]:
    return slot_times(interview)


async def time_zone_of(loaders: Loaders, interview: Interview) -> str:
    """The candidate's IANA time zone, or UTC when she set none."""
    name = await loaders(time_zones_by_user_id).load(interview.candidate_id)
    return name if name and valid_time_zone(name) else UTC_NAME


async def starts_at_local(loaders: Loaders, interview: Interview) -> datetime | None:
    return local_time(interview.starts_at, await time_zone_of(loaders, interview))


async def ics_of(loaders: Loaders, interview: Interview) -> str | None:
    if interview.starts_at is None:
        return None
    company = await company_of(loaders, interview)
    return ics(interview, company_name=company.name if company else "the company", zone_name=await time_zone_of(loaders, interview))
