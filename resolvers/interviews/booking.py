"""The candidate picks a slot: exactly one pick wins, and no interviewer is double-booked.

Both rules hold under concurrency, on SQLite and PostgreSQL, inside one transaction:

1. The pick is a conditional update ``WHERE id = ? AND status = 'PROPOSED' AND version = ?
   AND expires_at > now``: of two concurrent picks (or a pick and a reschedule or cancel)
   one touches the row, the other waits for its commit (PostgreSQL re-checks the WHERE
   on the new row; SQLite runs one write transaction at a time) and touches nothing.
2. The interviewers' user rows are then locked (``FOR NO KEY UPDATE``, in id order, so two
   picks sharing interviewers queue instead of deadlocking), and only then are their
   bookings read: a pick of another interview that shares an interviewer waits here and
   sees the booking the first one committed. An overlap is INTERVIEWER_UNAVAILABLE and
   rolls the pick back.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tortoise.transactions import in_transaction

from models.accounts import User
from models.chat import Conversation
from models.interviews import Interview, InterviewAssignment, InterviewStatus
from resolvers.chat import Side, post_system_message
from resolvers.errors import UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.automation import PipelineTrigger, advance_pipeline
from resolvers.hiring.events import publish_pipeline_changes
from resolvers.interviews.commands import check_open, interview_to_change, lost_race
from resolvers.interviews.events import InterviewChange, publish_interview_events
from resolvers.interviews.expiry import utcnow
from resolvers.interviews.proposal import slot_times
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.interview_triggers import interview_changed

PICKABLE = (InterviewStatus.PROPOSED,)


def when(moment: datetime) -> str:
    """A time as system messages show it (both sides read the same words)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


async def pick_slot(
    broker: Publisher, viewer: User, interview_id: int | None, slot: datetime, version_number: int | None = None
) -> Interview:
    """The candidate picks one of the proposed slots: SCHEDULED, interviewers booked."""
    now = utcnow()
    interview = await interview_to_change(broker, viewer, interview_id, (Side.CANDIDATE,), "pick a slot of", now)
    check_open(interview, PICKABLE, version_number)
    if slot.tzinfo is None:
        raise UserErrors.single(UserErrorCode.INVALID, "The slot needs a time zone (such as 2030-01-31T09:00:00Z).", ["slot"])
    starts_at = slot.astimezone(timezone.utc)
    if starts_at not in slot_times(interview) or starts_at <= now:
        raise UserErrors.single(
            UserErrorCode.SLOT_NOT_OFFERED, "Pick one of the interview's proposed slots that has not passed.", ["slot"]
        )
    ends_at = starts_at + timedelta(minutes=interview.duration_minutes)
    async with in_transaction():
        won = await Interview.filter(
            id=interview.pk, status=InterviewStatus.PROPOSED, version=interview.version, expires_at__gt=now
        ).update(status=InterviewStatus.SCHEDULED, starts_at=starts_at, ends_at=ends_at, updated_at=now)
        if won != 1:
            raise await lost_race(interview.pk, PICKABLE, version_number, now)
        await _book(interview.pk, starts_at, ends_at)
        conversation = await Conversation.get(id=interview.conversation_id)
        notice = f"Interview scheduled: {when(starts_at)}, {interview.duration_minutes} minutes."
        message = await post_system_message(conversation, notice)
        moved = await advance_pipeline(
            PipelineTrigger.INTERVIEW_SCHEDULED, company_id=interview.company_id, candidate_id=interview.candidate_id,
            role_id=interview.role_id, actor_id=viewer.pk,
        )
        interview.status, interview.starts_at, interview.ends_at, interview.updated_at = (
            InterviewStatus.SCHEDULED, starts_at, ends_at, now,
        )
        notified = await interview_changed(interview, InterviewChange.SCHEDULED.value, actor_id=viewer.pk, summary=notice)
    await publish_interview_events(broker, [(interview, InterviewChange.SCHEDULED)], [message])
    await publish_pipeline_changes(broker, moved)
    await publish_notifications(broker, notified)
    return interview


async def _book(interview_id: int, starts_at: datetime, ends_at: datetime) -> None:
    """Inside the pick's transaction: lock the interviewers, refuse an overlap, book them."""
    interviewer_ids = sorted(
        await InterviewAssignment.filter(interview_id=interview_id).values_list("interviewer_id", flat=True)
    )
    await User.select_for_update(no_key=True).filter(id__in=interviewer_ids).order_by("id")
    clash = await (
        InterviewAssignment.filter(interviewer_id__in=interviewer_ids, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(interview_id=interview_id)
        .order_by("interviewer_id")
        .first()
    )
    if clash is not None:
        busy = await User.get(id=clash.interviewer_id)
        raise UserErrors.single(
            UserErrorCode.INTERVIEWER_UNAVAILABLE,
            f"{busy.display_name} is in another interview at that time; pick another slot.",
            ["slot"],
        )
    await InterviewAssignment.filter(interview_id=interview_id).update(starts_at=starts_at, ends_at=ends_at)
