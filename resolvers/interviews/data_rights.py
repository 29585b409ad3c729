"""Interviews in a candidate's data rights: what ``exportMyData`` includes and what
``deleteMyAccount`` does to them (called from ``resolvers.profiles.data_rights``).

Export: the candidate's interviews and their interviewers' ids; not the feedback, which
is the company's data. Deletion (inside the deletion's transaction): every PROPOSED or
SCHEDULED interview becomes CANCELLED with a system message (interviewers' bookings
released), and the feedback written about her is erased.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.chat import Conversation, Message
from models.interviews import Interview, InterviewAssignment, InterviewFeedback, InterviewStatus
from resolvers.chat import post_system_message
from resolvers.interviews.events import InterviewChange

CANDIDATE_DELETED_NOTICE = "Interview cancelled: the candidate deleted their account."
OPEN_STATUSES = (InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED)


async def interviews_export(candidate_id: int) -> list[dict[str, Any]]:
    """The candidate's interviews as JSON-ready rows, each with its interviewers' ids."""
    interviews = await Interview.filter(candidate_id=candidate_id).order_by("id")
    assignments = await InterviewAssignment.filter(interview_id__in=[i.pk for i in interviews]).order_by("id")
    interviewers: dict[int, list[int]] = {}
    for assignment in assignments:
        interviewers.setdefault(assignment.interview_id, []).append(assignment.interviewer_id)
    return [
        {
            "id": i.pk, "conversationId": i.conversation_id, "companyId": i.company_id, "roleId": i.role_id,
            "kind": i.kind.value, "status": i.status.value, "durationMinutes": i.duration_minutes,
            "location": i.location, "url": i.url, "slots": list(i.slots),
            "startsAt": _iso(i.starts_at), "endsAt": _iso(i.ends_at), "expiresAt": _iso(i.expires_at),
            "cancelReason": i.cancel_reason, "createdAt": _iso(i.created_at), "updatedAt": _iso(i.updated_at),
            "interviewerIds": interviewers.get(i.pk, []),
        }
        for i in interviews
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def close_interviews_of(
    candidate_id: int, now: datetime
) -> tuple[list[tuple[Interview, InterviewChange]], list[Message]]:
    """Inside the account deletion's transaction: cancel her open interviews (each a
    conditional update, so a concurrent pick either commits first and is cancelled here,
    or loses), release the bookings, erase the feedback about her. Returns the events
    and messages to publish after commit."""
    changes: list[tuple[Interview, InterviewChange]] = []
    messages: list[Message] = []
    for interview in await Interview.filter(candidate_id=candidate_id, status__in=OPEN_STATUSES).order_by("id"):
        if not await Interview.filter(id=interview.pk, status__in=OPEN_STATUSES).update(
            status=InterviewStatus.CANCELLED, cancel_reason="The candidate deleted their account.", updated_at=now
        ):
            continue
        interview.status, interview.updated_at = InterviewStatus.CANCELLED, now
        await InterviewAssignment.filter(interview_id=interview.pk).update(starts_at=None, ends_at=None)
        conversation = await Conversation.get(id=interview.conversation_id)
        messages.append(await post_system_message(conversation, CANDIDATE_DELETED_NOTICE))
        changes.append((interview, InterviewChange.CANCELLED))
    ids = await Interview.filter(candidate_id=candidate_id).values_list("id", flat=True)
    await InterviewFeedback.filter(interview_id__in=list(ids)).delete()
    return changes, messages
