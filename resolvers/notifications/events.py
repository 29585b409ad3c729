"""What notifications announce after commit: ``notificationAdded``.

Channel ``notifications:user:<id>`` (``resolvers.events.notifications_channel``); event
``{"type": "notification_added", "notificationId": …}``, ids only: the subscriber
re-reads the notification (a grouped one may have counted more events since).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.notifications import Notification
from resolvers.events import Publisher, notifications_channel, publish_after_commit

NOTIFICATION_ADDED = "notification_added"


def notification_event(notification_id: int) -> dict[str, Any]:
    return {"type": NOTIFICATION_ADDED, "notificationId": notification_id}


async def publish_notifications(publisher: Publisher, notifications: Iterable[Notification | None]) -> None:
    """Announce notifications written (or counted into) by a committed transaction. A
    broker failure is logged, never raised: the inbox has them either way."""
    for notification in notifications:
        if notification is not None:
            await publish_after_commit(
                publisher, (notifications_channel(notification.user_id),), notification_event(notification.pk)
            )
