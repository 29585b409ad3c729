"""The writes that change an interview's schedule: propose, reschedule, cancel (the pick
is ``resolvers.interviews.booking``, feedback ``resolvers.interviews.feedback``).

Lifecycle::

    PROPOSED ──pick (candidate)──────────▶ SCHEDULED
       │ ──reschedule (company)─▶ PROPOSED (new slots, version + 1)
       │ ──cancel (either side)─▶ CANCELLED
       │ ──(expiresAt passes)───▶ EXPIRED
    SCHEDULED ──reschedule (company)─▶ PROPOSED (bookings released, version + 1)
              ──cancel (either side)─▶ CANCELLED (bookings released)

Each change is one conditional update (``WHERE id = ? AND status IN … AND version = ?``)
inside the transaction that also posts the system message; the loser of a race gets a
userError and changes nothing. After commit, ``resolvers.interviews.events`` announces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.interviews import Interview, InterviewAssignment, InterviewStatus
from resolvers.chat import Side, conversation_for, post_system_message, side_of
from resolvers.errors import Forbidden, Problems, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.access import role_of_company
from resolvers.interviews.access import not_found, party_to_interview
from resolvers.interviews.events import InterviewChange, publish_interview_events
from resolvers.interviews.expiry import expire_due, is_due, utcnow
from resolvers.interviews.proposal import (
    Proposal,
    check_interviewers,
    check_proposal,
    check_slots,
    stored_slots,
)
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.interview_triggers import interview_changed
from resolvers.profiles.access import company_can_reach
from resolvers.validation import optional_text

if TYPE_CHECKING:
    from graph.settings import Settings

REASON_MAX_LENGTH = 1_000
OPEN_STATUSES = (InterviewStatus.PROPOSED, InterviewStatus.SCHEDULED)


def _no_conversation() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such conversation.", ["conversationId"])


async def propose_interview(
    settings: Settings, broker: Publisher, employer: User, conversation_id: int | None, proposal: Proposal
) -> Interview:
    """A member of the company proposes slots in a conversation the candidate accepted."""
    if not employer.is_employer or employer.company_id is None:
        raise Forbidden("Only employers propose interviews.")
    now = utcnow()
    problems = Problems()
    slots, location, link = check_proposal(problems, proposal, now)
    interviewer_ids = await check_interviewers(problems, employer.company_id, proposal.interviewer_ids)
    problems.raise_if_any()
    conversation = await conversation_for(employer, conversation_id) if conversation_id is not None else None
    if conversation is None or side_of(employer, conversation) != Side.COMPANY:
        raise _no_conversation()
    if conversation.status != ConversationStatus.ACCEPTED:
        raise UserErrors.single(
            UserErrorCode.CONVERSATION_NOT_ACCEPTED,
            "Interviews are proposed in conversations the candidate accepted.",
            ["conversationId"],
        )
    candidate = await User.get(id=conversation.candidate_id)
    if not await company_can_reach(await Company.get(id=employer.company_id), candidate):
        raise _no_conversation()
    if proposal.role_id is not None:
        await role_of_company(employer.company_id, proposal.role_id)  # NOT_FOUND for another company's role
    async with in_transaction():
        interview = await Interview.create(
            conversation_id=conversation.pk, company_id=employer.company_id, candidate_id=candidate.pk,
            proposed_by_id=employer.pk, role_id=proposal.role_id, kind=proposal.kind,
            duration_minutes=proposal.duration_minutes, location=location, url=link,
            status=InterviewStatus.PROPOSED, version=1, slots=stored_slots(slots),
            expires_at=now + timedelta(days=settings.interview_proposal_ttl_days), created_at=now, updated_at=now,
        )
        await InterviewAssignment.bulk_create(
            [InterviewAssignment(interview_id=interview.pk, interviewer_id=i) for i in interviewer_ids]
        )
        notice = (
            f"Interview proposed ({proposal.kind.value.lower()}, {proposal.duration_minutes} minutes): "
            f"pick one of {len(slots)} slot{'s' if len(slots) > 1 else ''}."
        )
        message = await post_system_message(conversation, notice)
        notified = await interview_changed(interview, InterviewChange.PROPOSED.value, actor_id=employer.pk, summary=notice)
    await publish_interview_events(broker, [(interview, InterviewChange.PROPOSED)], [message])
    await publish_notifications(broker, notified)
    return interview


async def reschedule_interview(
    settings: Settings, broker: Publisher, viewer: User, interview_id: int | None,
    slots: Sequence[datetime], version_number: int | None = None,
) -> Interview:
    """The company offers new slots: back to PROPOSED, bookings released, version + 1."""
    now = utcnow()
    interview = await interview_to_change(broker, viewer, interview_id, (Side.COMPANY,), "reschedule", now)
    problems = Problems()
    clean = check_slots(problems, slots, now)
    problems.raise_if_any()
    check_open(interview, OPEN_STATUSES, version_number)
    updates: dict[str, Any] = {
        "status": InterviewStatus.PROPOSED, "version": interview.version + 1, "slots": stored_slots(clean),
        "starts_at": None, "ends_at": None, "updated_at": now,
        "expires_at": now + timedelta(days=settings.interview_proposal_ttl_days),
    }
    notice = f"Interview rescheduled: pick one of {len(clean)} new slot{'s' if len(clean) > 1 else ''}."
    return await change(broker, viewer, interview, updates, notice, InterviewChange.RESCHEDULED, version_number, now)


async def cancel_interview(
    broker: Publisher, viewer: User, interview_id: int | None, reason: str | None, version_number: int | None = None
) -> Interview:
    """Either side cancels a PROPOSED or SCHEDULED interview; bookings are released."""
    now = utcnow()
    interview = await interview_to_change(broker, viewer, interview_id, (Side.COMPANY, Side.CANDIDATE), "cancel", now)
    problems = Problems()
    reason = optional_text(problems, reason, "reason", "Reason", maximum=REASON_MAX_LENGTH)
    problems.raise_if_any()
    check_open(interview, OPEN_STATUSES, version_number)
    side = party_side_name(viewer, interview)
    notice = f"Interview cancelled by the {side}." + (f" Reason: {reason}" if reason else "")
    updates = {"status": InterviewStatus.CANCELLED, "cancel_reason": reason, "updated_at": now}
    return await change(broker, viewer, interview, updates, notice, InterviewChange.CANCELLED, version_number, now)


def party_side_name(viewer: User, interview: Interview) -> str:
    return "candidate" if viewer.pk == interview.candidate_id else "company"


async def interview_to_change(
    broker: Publisher, viewer: User, interview_id: int | None, sides: tuple[Side, ...], verb: str, now: datetime
) -> Interview:
    """The interview, expiry applied, if the viewer's side may ``verb`` it: NOT_FOUND for
    a non-party (as if it did not exist), FORBIDDEN for the other side."""
    interview = await Interview.get_or_none(id=interview_id) if interview_id is not None else None
    side = await party_to_interview(viewer, interview) if interview is not None else None
    if interview is None or side is None:
        raise not_found()
    if side not in sides:
        raise Forbidden(f"Only the {sides[0].value.lower()} can {verb} this interview.")
    await expire_due(broker, [interview], now)
    return interview


def check_open(interview: Interview, statuses: Sequence[InterviewStatus], version_number: int | None) -> None:
    if interview.status == InterviewStatus.EXPIRED:
        raise UserErrors.single(UserErrorCode.INTERVIEW_EXPIRED, "The interview proposal expired.", ["interviewId"])
    if interview.status not in statuses:
        raise UserErrors.single(
            UserErrorCode.INTERVIEW_NOT_OPEN, f"The interview is {interview.status.value}.", ["interviewId"]
        )
    if version_number is not None and version_number != interview.version:
        raise UserErrors.single(
            UserErrorCode.INTERVIEW_CHANGED,
            f"The interview is at version {interview.version}, not {version_number}; read it again.",
            ["versionNumber"],
        )


async def lost_race(interview_id: int, statuses: Sequence[InterviewStatus], version_number: int | None, now: datetime) -> UserErrors:
    """The conditional update touched no row: say what changed meanwhile."""
    latest = await Interview.get(id=interview_id)
    if is_due(latest, now):
        return UserErrors.single(UserErrorCode.INTERVIEW_EXPIRED, "The interview proposal expired.", ["interviewId"])
    try:
        check_open(latest, statuses, version_number)
    except UserErrors as exc:
        return exc
    return UserErrors.single(
        UserErrorCode.INTERVIEW_CHANGED, "The interview changed while you answered; read it again.", ["versionNumber"]
    )


async def change(
    broker: Publisher, actor: User, interview: Interview, updates: dict[str, Any], notice: str,
    what: InterviewChange, version_number: int | None, now: datetime,
) -> Interview:
    """One transaction: the conditional update, released bookings, the system message,
    the other side's notification."""
    async with in_transaction():
        won = await Interview.filter(
            Q(status=InterviewStatus.SCHEDULED) | Q(expires_at__gt=now),
            id=interview.pk, status=interview.status, version=interview.version,
        ).update(**updates)
        if won != 1:
            raise await lost_race(interview.pk, OPEN_STATUSES, version_number, now)
        await InterviewAssignment.filter(interview_id=interview.pk).update(starts_at=None, ends_at=None)
        conversation = await Conversation.get(id=interview.conversation_id)
        message = await post_system_message(conversation, notice)
        for key, value in updates.items():
            setattr(interview, key, value)
        notified = await interview_changed(interview, what.value, actor_id=actor.pk, summary=notice)
    await publish_interview_events(broker, [(interview, what)], [message])
    await publish_notifications(broker, notified)
    return interview
