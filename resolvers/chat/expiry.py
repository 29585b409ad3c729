"""Expiry of unanswered contact requests (a scheduled job, ``resolvers/scheduler``).

A ``REQUESTED`` conversation older than ``CONTACT_REQUEST_EXPIRY_DAYS`` becomes
``EXPIRED``: it no longer counts against the company's weekly quota (``contact.py``
counts ``REQUESTED`` only, so the slot is returned), both sides read a system message and
receive a ``conversation`` event (``EXPIRED``), and both sides get a
``CONTACT_REQUEST_EXPIRED`` notification (the candidate, and the employer who asked or,
if gone, every employer of the company), mailed as each chose for that kind. The status
change, the message and the notifications commit together; a request the candidate answers meanwhile is left alone (conditional UPDATE),
and a second run finds nothing to do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.chat import Conversation, ConversationStatus
from resolvers.chat.append import post_system_message
from resolvers.chat.events import Change, conversation_event, message_event, publish_events
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.triggers import contact_expired

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

EXPIRED_NOTICE = "This contact request expired: it went unanswered for {days} days."
BATCH = 200


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
        notified = await contact_expired(conversation)
    events = [conversation_event(conversation.pk, Change.EXPIRED.value), message_event(conversation.pk, notice.pk, notice.seq)]
    await publish_events(run.publisher, conversation, events)
    await publish_notifications(run.publisher, notified)
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
