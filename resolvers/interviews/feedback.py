"""Interview feedback: each interviewer's rating (1–4), recommendation and notes.

Feedback is the company's data: only the interview's interviewers write it, only the
company's members read it (``access.sees_feedback``), it never reaches the candidate (not
in the conversation, not in her ``interviewUpdated`` events, not in her data export), and
it is erased with her account. One row per interviewer and interview: submitting again
replaces it.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import User
from models.interviews import Interview, InterviewAssignment, InterviewFeedback, InterviewStatus, Recommendation
from resolvers.chat import Side
from resolvers.errors import Forbidden, Problems, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.interviews.commands import interview_to_change
from resolvers.interviews.events import InterviewChange, publish_interview_events
from resolvers.interviews.expiry import utcnow
from resolvers.validation import text

MIN_RATING, MAX_RATING = 1, 4
NOTES_MAX_LENGTH = 10_000


async def submit_feedback(
    broker: Publisher, viewer: User, interview_id: int | None, *,
    rating: int, recommendation: Recommendation, notes: str | None,
) -> InterviewFeedback:
    """An interviewer's feedback on a SCHEDULED interview that has started."""
    now = utcnow()
    try:
        interview = await interview_to_change(broker, viewer, interview_id, (Side.COMPANY,), "give feedback on", now)
    except Forbidden:
        raise Forbidden("Interview feedback is the company's: candidates neither give nor read it.") from None
    problems = Problems()
    if not MIN_RATING <= rating <= MAX_RATING:
        problems.add(UserErrorCode.OUT_OF_RANGE, f"The rating is {MIN_RATING}–{MAX_RATING}.", "rating")
    clean_notes = text(problems, notes, "notes", "Notes", maximum=NOTES_MAX_LENGTH)
    problems.raise_if_any()
    if not await InterviewAssignment.exists(interview_id=interview.pk, interviewer_id=viewer.pk):
        raise UserErrors.single(UserErrorCode.NOT_AN_INTERVIEWER, "You are not an interviewer of this interview.", ["interviewId"])
    _check_held(interview)
    values = {"rating": rating, "recommendation": recommendation, "notes": clean_notes, "updated_at": now}
    feedback = await _upsert(interview.pk, viewer.pk, values)
    await publish_interview_events(broker, [(interview, InterviewChange.FEEDBACK_SUBMITTED)])
    return feedback


def _check_held(interview: Interview) -> None:
    if interview.status != InterviewStatus.SCHEDULED:
        raise UserErrors.single(
            UserErrorCode.INTERVIEW_NOT_OPEN, f"The interview is {interview.status.value}; feedback is given on scheduled interviews.",
            ["interviewId"],
        )
    if interview.starts_at is None or interview.starts_at > utcnow():
        raise UserErrors.single(UserErrorCode.INTERVIEW_NOT_STARTED, "The interview has not started yet.", ["interviewId"])


async def _upsert(interview_id: int, author_id: int, values: dict[str, Any]) -> InterviewFeedback:
    """Replace the author's feedback, or create it (a concurrent first submit of the same
    author hits the unique key and is retried as a replacement)."""
    for _attempt in range(2):
        try:
            async with in_transaction():
                if not await InterviewFeedback.filter(interview_id=interview_id, author_id=author_id).update(**values):
                    await InterviewFeedback.create(interview_id=interview_id, author_id=author_id, created_at=values["updated_at"], **values)
        except IntegrityError:
            continue
        return await InterviewFeedback.get(interview_id=interview_id, author_id=author_id)
    raise RuntimeError("feedback upsert failed twice")  # pragma: no cover - the retry is an update
