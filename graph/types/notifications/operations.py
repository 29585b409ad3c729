"""Notifications' root operations: ``notifications``, ``unreadNotificationCount`` and
``notificationPreferences``; ``markNotificationsRead`` and
``updateNotificationPreferences``; ``notificationAdded``; and ``node(id:)`` for
notifications. Each maps GraphQL arguments to ``resolvers.notifications`` and back."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import Connection
from graph.types.mutations import payload_mutation
from graph.types.node import register_node
from graph.types.notifications.inputs import (
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
    UpdateNotificationPreferencesInput,
    UpdateNotificationPreferencesPayload,
)
from graph.types.notifications.types import Notification, NotificationKind, NotificationPreferences
from models import notifications as nm
from models.accounts import User
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
    mark_notifications_read = payload_mutation(
        description="Signed in: mark notifications read — those named in `ids`, and with `upTo` that one and every one below it in the inbox. Name at least one; another person's ids are ignored, an unknown `upTo` is NOT_FOUND.",
        input=(MarkNotificationsReadInput, "Which ones."),
        payload=MarkNotificationsReadPayload,
        field=("marked_count", "unread_notification_count"),
        rule=lambda c, input: _mark_read(require_person(c.viewer), input),
    )
    update_notification_preferences = payload_mutation(
        description="Signed in: change how often you are mailed per kind, your time zone (IANA, validated) and your quiet hours. Fields left out stay as they are.",
        input=(UpdateNotificationPreferencesInput, "What to change."),
        payload=UpdateNotificationPreferencesPayload,
        field="notification_preferences",
        rule=lambda c, input: _update_preferences(require_person(c.viewer), input),
    )


async def _mark_read(user: User, input: MarkNotificationsReadInput) -> tuple[int, int]:
    """How many were marked, and how many stay unread."""
    if input.ids is not None and len(input.ids) > MAX_IDS:
        raise BadUserInput(f"Name at most {MAX_IDS} notifications at once.")
    ids = [parse_typed_id(value, "Notification", "ids") for value in input.ids] if input.ids is not None else None
    up_to = parse_typed_id(input.up_to, "Notification", "upTo") if input.up_to is not None else None
    return await commands.mark_read(user, ids=ids, up_to=up_to), await queries.unread_count(user)


async def _update_preferences(user: User, input: UpdateNotificationPreferencesInput) -> NotificationPreferences:
    frequencies = {entry.kind: entry.frequency for entry in input.frequencies or []}
    await commands.update_preferences(user, frequencies, **_schedule_changes(input))
    return NotificationPreferences.of(await queries.preferences(user))


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
