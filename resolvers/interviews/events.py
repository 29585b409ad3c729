"""What is announced after an interview changes: ids only, published after commit.

Every event goes to the candidate's ``interviews:user:<id>`` and the company's
``interviews:company:<id>`` channels (``resolvers.events``), except feedback, which is the
company's alone. Event: ``{"type": "interview", "interviewId": …, "change": InterviewChange}``.
The system messages the change posted in the conversation are published first.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from models.chat import Message
from models.interviews import Interview
from resolvers.chat import publish_message
from resolvers.events import (
    Publisher,
    candidate_interviews_channel,
    company_interviews_channel,
    publish_after_commit,
)


class InterviewChange(str, Enum):
    """What an ``interview`` event announces."""

    PROPOSED = "PROPOSED"
    SCHEDULED = "SCHEDULED"
    RESCHEDULED = "RESCHEDULED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    FEEDBACK_SUBMITTED = "FEEDBACK_SUBMITTED"


COMPANY_ONLY = frozenset({InterviewChange.FEEDBACK_SUBMITTED})


def interview_event(interview: Interview, change: InterviewChange) -> dict[str, Any]:
    return {"type": "interview", "interviewId": interview.pk, "change": change.value}


async def publish_interview_events(
    broker: Publisher, changes: Iterable[tuple[Interview, InterviewChange]], messages: Iterable[Message] = ()
) -> None:
    """After commit: the system messages into chat, then the interview events. A broker
    failure is logged, never raised (the rows are committed; clients re-read)."""
    for message in messages:
        await publish_message(broker, message)
    for interview, change in changes:
        channels = [company_interviews_channel(interview.company_id)]
        if change not in COMPANY_ONLY:
            channels.append(candidate_interviews_channel(interview.candidate_id))
        await publish_after_commit(broker, channels, interview_event(interview, change))
