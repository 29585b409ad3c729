"""Batch functions for interviews: the rows, their interviewers, their feedback, and the
candidates' time zones."""

from __future__ import annotations

from models.interviews import Interview, InterviewAssignment, InterviewFeedback
from models.profiles import Profile
from resolvers.loading import by_key, grouped


async def interviews_by_id(ids: list[int]) -> list[Interview | None]:
    return by_key(await Interview.filter(id__in=set(ids)), ids)


async def assignments_by_interview_id(ids: list[int]) -> list[list[InterviewAssignment]]:
    rows = await InterviewAssignment.filter(interview_id__in=set(ids)).order_by("interview_id", "id")
    return grouped(rows, ids, "interview_id")


async def feedback_by_interview_id(ids: list[int]) -> list[list[InterviewFeedback]]:
    rows = await InterviewFeedback.filter(interview_id__in=set(ids)).order_by("interview_id", "id")
    return grouped(rows, ids, "interview_id")


async def time_zones_by_user_id(ids: list[int]) -> list[str | None]:
    """The IANA zone of each candidate's profile; ``None`` when unset (or no profile)."""
    rows = await Profile.filter(user_id__in=set(ids)).values_list("user_id", "time_zone")
    zones = dict(rows)
    return [zones.get(user_id) for user_id in ids]
