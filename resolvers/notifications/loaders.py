"""Batch functions for notifications."""

from __future__ import annotations

from models.notifications import Notification
from resolvers.loading import by_key


async def notifications_by_id(ids: list[int]) -> list[Notification | None]:
    return by_key(await Notification.filter(id__in=set(ids)), ids)
