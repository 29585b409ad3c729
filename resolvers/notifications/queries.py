"""Notifications' reads: a person's inbox (newest event first), the unread count, one
notification by ``node(id:)``, and the mail preferences with their defaults."""

from __future__ import annotations

from models.accounts import User
from models.notifications import Notification, NotificationKind
from resolvers.loading import Loaders
from resolvers.notifications.access import sees_notification
from resolvers.notifications.loaders import notifications_by_id
from resolvers.notifications.schedule import Preferences, preferences_of
from resolvers.pagination import Page, SortKey, keyset_page

INBOX_ORDER = [SortKey("updated_at", descending=True, kind="datetime"), SortKey("id", descending=True)]


async def inbox(
    user: User,
    *,
    unread_only: bool = False,
    kinds: list[NotificationKind] | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Notification]:
    """The person's notifications, the latest event first (a grouped notification moves
    up when it counts a new event)."""
    rows = Notification.filter(user_id=user.pk)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return await keyset_page(rows, INBOX_ORDER, first=first, after=after)


async def unread_count(user: User) -> int:
    return await Notification.filter(user_id=user.pk, read_at__isnull=True).count()


async def notifications_for(loaders: Loaders, user: User | None, ids: list[int]) -> list[Notification | None]:
    """Notifications by id, None for another person's (``node(id:)``)."""
    if user is None:
        return [None] * len(ids)
    rows = await loaders(notifications_by_id).load_many(ids)
    return [row if sees_notification(user, row) else None for row in rows]


async def notifications_by_ids(user: User, ids: list[int]) -> list[Notification]:
    """The person's notifications among ``ids``, in inbox order."""
    return list(await Notification.filter(user_id=user.pk, id__in=ids).order_by("-updated_at", "-id"))


async def preferences(user: User) -> Preferences:
    return await preferences_of(user.pk)
