"""``notificationAdded``: the signed-in person's notifications as they are written.

The person listens on ``notifications:user:<id>`` and, through ``guarded``, on their
auth channel (a revoked token ends the stream). Events carry ids only: each
notification is re-read (a grouped one shows its count now) and delivered only to the
person it is for. Missed events are not replayed: the inbox (``notifications``) has
them all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.notifications import Notification
from resolvers.accounts import Session
from resolvers.events import auth_channel, notifications_channel
from resolvers.notifications.events import NOTIFICATION_ADDED
from subscriptions.accounts import check_session, guarded
from subscriptions.broker import Broker


async def notification_added(broker: Broker, session: Session | None) -> AsyncIterator[Notification]:
    check_session(session)
    assert session is not None
    user_id = session.user.pk
    async with broker.subscribe(notifications_channel(user_id), auth_channel(user_id)) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != NOTIFICATION_ADDED:
                continue
            notification = await Notification.get_or_none(id=int(event["notificationId"]), user_id=user_id)
            if notification is not None:
                yield notification
