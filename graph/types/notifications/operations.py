"""Notifications' root operations: ``notifications``, ``unreadNotificationCount`` and
``notificationPreferences``; ``markNotificationsRead`` and
``updateNotificationPreferences``; ``notificationAdded``; and ``node(id:)`` for
notifications. Each maps GraphQL arguments to ``resolvers.notifications`` and back."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import Connection, mutation_payload
from graph.types.node import register_node
from graph.types.notifications.inputs import (
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
    UpdateNotificationPreferencesInput,
    UpdateNotificationPreferencesPayload,
)
from graph.types.notifications.types import Notification, NotificationKind, NotificationPreferences
from models import notifications as nm
from resolvers.errors import BadUserInput
from resolvers.ids import parse_typed_id
from resolvers.notifications import commands, queries
from resolvers.notifications.access import require_person
from subscriptions import notifications as live

MAX_IDS = 100


async def _notification_nodes(info: Info, ids: list[int]) -> list[nm.Notification | None]:
    return await queries.notifications_for(info.context.loaders, info.context.viewer, ids)


register_node("Notification", _notification_nodes)


@strawberry.type
class NotificationsQuery:
    @strawberry.field(description="Signed in: your notifications, the latest event first. Every notification is here whatever your mail preferences.")
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[bool | None, strawberry.argument(description="Only those not read yet (default false).")] = False,
        kinds: Annotated[list[NotificationKind] | None, strawberry.argument(description="Only these kinds; omit for all.")] = None,  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor from a previous page.")] = None,
    ) -> Connection[Notification]:
        user = require_person(info.context.viewer)
        page = await queries.inbox(user, unread_only=bool(unread_only), kinds=kinds, first=first, after=after)
        return Connection.from_page(page)

    @strawberry.field(description="Signed in: how many of your notifications are unread.")
    async def unread_notification_count(self, info: Info) -> int:
        return await queries.unread_count(require_person(info.context.viewer))

    @strawberry.field(description="Signed in: when and how often you are mailed about your notifications (defaults filled in).")
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        return NotificationPreferences.of(await queries.preferences(require_person(info.context.viewer)))


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(description="Signed in: mark notifications read — those named in `ids`, and with `upTo` that one and every one below it in the inbox. Name at least one; another person's ids are ignored, an unknown `upTo` is NOT_FOUND.")
    async def mark_notifications_read(
        self, info: Info, input: Annotated[MarkNotificationsReadInput, strawberry.argument(description="Which ones.")]
    ) -> MarkNotificationsReadPayload:
        user = require_person(info.context.viewer)
        if input.ids is not None and len(input.ids) > MAX_IDS:
            raise BadUserInput(f"Name at most {MAX_IDS} notifications at once.")
        ids = [parse_typed_id(value, "Notification", "ids") for value in input.ids] if input.ids is not None else None
        up_to = parse_typed_id(input.up_to, "Notification", "upTo") if input.up_to is not None else None

        async def mark() -> dict[str, Any]:
            marked = await commands.mark_read(user, ids=ids, up_to=up_to)
            return {"marked_count": marked, "unread_notification_count": await queries.unread_count(user)}

        return await mutation_payload(MarkNotificationsReadPayload, mark, field=None)

    @strawberry.mutation(description="Signed in: change how often you are mailed per kind, your time zone (IANA, validated) and your quiet hours. Fields left out stay as they are.")
    async def update_notification_preferences(
        self,
        info: Info,
        input: Annotated[UpdateNotificationPreferencesInput, strawberry.argument(description="What to change.")],
    ) -> UpdateNotificationPreferencesPayload:
        user = require_person(info.context.viewer)

        async def update() -> NotificationPreferences:
            await commands.update_preferences(
                user,
                {entry.kind: entry.frequency for entry in input.frequencies or []},
                **_schedule_changes(input),
            )
            return NotificationPreferences.of(await queries.preferences(user))

        return await mutation_payload(UpdateNotificationPreferencesPayload, update, field="notification_preferences")


def _schedule_changes(input: UpdateNotificationPreferencesInput) -> dict[str, Any]:
    """Only what the input names (``UNSET`` = leave it; null = clear it)."""
    changes: dict[str, Any] = {}
    if input.time_zone is not strawberry.UNSET:
        changes["time_zone"] = input.time_zone
    start, end = input.quiet_hours_start, input.quiet_hours_end
    if start is not strawberry.UNSET or end is not strawberry.UNSET:
        if start is None and end is None:
            changes["quiet_hours"] = None
        elif start in (None, strawberry.UNSET) or end in (None, strawberry.UNSET):
            raise commands.quiet_hours_incomplete()
        else:
            changes["quiet_hours"] = (start, end)
    return changes


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(description="Signed in: each notification as it is written for you, or again when a grouped one counts a new event.")
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        async for notification in live.notification_added(info.context.broker, info.context.session):
            yield notification  # type: ignore[misc]  # the row is the root of the Notification type


__all__ = ["NotificationsMutation", "NotificationsQuery", "NotificationsSubscription"]
