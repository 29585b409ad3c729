"""Expiry of unanswered contact requests (a scheduled job, ``resolvers/scheduler``).

A ``REQUESTED`` conversation older than ``CONTACT_REQUEST_EXPIRY_DAYS`` becomes
``EXPIRED``: it no longer counts against the company's weekly quota (``contact.py``
counts ``REQUESTED`` only, so the slot is returned), both sides read a system message and
receive a ``conversation`` event (``EXPIRED``), and the candidate and the employer who
wrote get a mail through the outbox. The status change, the message and the mails commit
together; a request the candidate answers meanwhile is left alone (conditional UPDATE),
and a second run finds nothing to do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from resolvers.chat.append import post_system_message
from resolvers.chat.events import Change, conversation_event, message_event, publish_events
from resolvers.mail import enqueue_mail

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

EXPIRED_NOTICE = "This contact request expired: it went unanswered for {days} days."
BATCH = 200


async def _mail_both_sides(conversation: Conversation, days: int) -> None:
    candidate = await User.get(id=conversation.candidate_id)
    company = await Company.get(id=conversation.company_id)
    await enqueue_mail(
        kind="contact_request_expired",
        to_address=candidate.email,
        subject=f"A contact request from {company.name} expired",
        body_text=(
            f"{company.name} asked to talk to you about the role {conversation.role_title}. "
            f"The request went unanswered for {days} days and has expired. You can still reply "
            "in the conversation, which accepts it."
        ),
        dedupe_key=f"contact_expired:{conversation.pk}:candidate",
    )
    if conversation.started_by_id is None:
        return
    employer = await User.get_or_none(id=conversation.started_by_id)
    if employer is None:
        return
    await enqueue_mail(
        kind="contact_request_expired",
        to_address=employer.email,
        subject=f"Your contact request for {conversation.role_title} expired",
        body_text=(
            f"Your contact request for the role {conversation.role_title} went unanswered for "
            f"{days} days and has expired. It no longer counts against your company's weekly quota."
        ),
        dedupe_key=f"contact_expired:{conversation.pk}:company",
    )


async def expire_one(run: JobRun, conversation: Conversation, days: int) -> bool:
    """Expire ``conversation`` if it is still unanswered; True when this call did."""
    async with in_transaction():
        changed = await Conversation.filter(id=conversation.pk, status=ConversationStatus.REQUESTED).update(
            status=ConversationStatus.EXPIRED, responded_at=run.now
        )
        if not changed:
            return False
        conversation.status = ConversationStatus.EXPIRED
        notice = await post_system_message(conversation, EXPIRED_NOTICE.format(days=days))
        await _mail_both_sides(conversation, days)
    events = [conversation_event(conversation.pk, Change.EXPIRED.value), message_event(conversation.pk, notice.pk, notice.seq)]
    await publish_events(run.publisher, conversation, events)
    return True


async def expire_contact_requests(run: JobRun) -> int:
    """The job: expire every contact request unanswered for the configured days."""
    days = run.settings.contact_request_expiry_days
    cutoff = run.now - timedelta(days=days)
    expired = 0
    while True:
        due = list(
            await Conversation.filter(status=ConversationStatus.REQUESTED, created_at__lte=cutoff)
            .order_by("id")
            .limit(BATCH)
        )
        for conversation in due:
            expired += await expire_one(run, conversation, days)
        if len(due) < BATCH:
            return expired
