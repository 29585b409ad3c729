"""Notifications' input types and mutation payloads."""

from __future__ import annotations

import strawberry

from graph.types.common import UserError
from graph.types.notifications.types import MailFrequency, NotificationKind, NotificationPreferences


@strawberry.input(description="Which notifications to mark read: those named, everything up to one, or both.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Notifications to mark read (at most 100); ids of other people's are ignored.")
    up_to: strawberry.ID | None = strawberry.field(default=None, description="Mark this notification and every one below it in the inbox (older latest event) read.")


@strawberry.type(description="Result of `markNotificationsRead`.")
class MarkNotificationsReadPayload:
    marked_count: int | None = strawberry.field(description="How many were unread and are now read; null on failure.")
    unread_notification_count: int | None = strawberry.field(description="Your unread notifications left; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.input(description="A mail frequency for one kind.")
class NotificationFrequencyInput:
    kind: NotificationKind = strawberry.field(description="The kind.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
    frequency: MailFrequency = strawberry.field(description="How often to mail you about it.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum


@strawberry.input(description="What to change in your mail preferences; fields left out stay as they are.")
class UpdateNotificationPreferencesInput:
    frequencies: list[NotificationFrequencyInput] | None = strawberry.field(
        default=None, description="Frequencies per kind; kinds not named keep theirs."
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET, description="An IANA time zone name (such as Europe/Berlin); null to use UTC."
    )
    quiet_hours_start: int | None = strawberry.field(
        default=strawberry.UNSET, description="Local hour 0–23 from which no mail is sent; give it with `quietHoursEnd`, both null to turn quiet hours off."
    )
    quiet_hours_end: int | None = strawberry.field(
        default=strawberry.UNSET, description="Local hour 0–23 at which mail resumes (may be earlier than the start: across midnight)."
    )


@strawberry.type(description="Result of `updateNotificationPreferences`.")
class UpdateNotificationPreferencesPayload:
    notification_preferences: NotificationPreferences | None = strawberry.field(description="Your preferences now; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")

