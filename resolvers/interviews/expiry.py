"""Expiry: a PROPOSED interview nobody picked a slot of by ``expiresAt`` (set to
``INTERVIEW_PROPOSAL_TTL_DAYS`` after each proposal or reschedule) becomes EXPIRED.

No scheduler runs in this service: expiry is applied when an interview is read (one
interview, a page, a subscription event) and before every change, like offers'
``expire_due``. The conditional update lets exactly one caller expire it, post the
system message and announce it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.chat import Conversation, Message
from models.interviews import Interview, InterviewStatus
from resolvers.chat import post_system_message
from resolvers.events import Publisher
from resolvers.interviews.events import InterviewChange, publish_interview_events

EXPIRED_NOTICE = "Interview proposal expired: no slot was picked in time."


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def is_due(interview: Interview, now: datetime) -> bool:
    return interview.status == InterviewStatus.PROPOSED and interview.expires_at <= now


async def expire_due(broker: Publisher, interviews: Iterable[Interview | None], now: datetime | None = None) -> None:
    """Persist EXPIRED for every due interview (updating the instances too) and announce
    the ones this call expired."""
    now = now or utcnow()
    expired: list[tuple[Interview, InterviewChange]] = []
    messages: list[Message] = []
    for interview in interviews:
        if interview is None or not is_due(interview, now):
            continue
        async with in_transaction():
            changed = await Interview.filter(
                id=interview.pk, status=InterviewStatus.PROPOSED, version=interview.version, expires_at__lte=now
            ).update(status=InterviewStatus.EXPIRED, updated_at=now)
            if changed:
                conversation = await Conversation.get(id=interview.conversation_id)
                messages.append(await post_system_message(conversation, EXPIRED_NOTICE))
        if changed:
            interview.status, interview.updated_at = InterviewStatus.EXPIRED, now
            expired.append((interview, InterviewChange.EXPIRED))
        else:
            await interview.refresh_from_db()
    await publish_interview_events(broker, expired, messages)


async def expire_due_in(broker: Publisher, queryset: QuerySet[Interview]) -> None:
    """``expire_due`` for every due interview of ``queryset`` (before listing it by status)."""
    now = utcnow()
    due = await queryset.filter(status=InterviewStatus.PROPOSED, expires_at__lte=now)
    if due:
        await expire_due(broker, due, now)
