"""Notifications: the inbox of each person, the events already turned into notifications,
and each person's email preferences (``resolvers/notifications``)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class NotificationKind(str, Enum):
    """What a notification tells. Stored as text: new kinds need no migration."""

    CONTACT_REQUEST_RECEIVED = "CONTACT_REQUEST_RECEIVED"
    CONTACT_REQUEST_ACCEPTED = "CONTACT_REQUEST_ACCEPTED"
    CONTACT_REQUEST_DECLINED = "CONTACT_REQUEST_DECLINED"
    CONTACT_REQUEST_EXPIRED = "CONTACT_REQUEST_EXPIRED"
    NEW_MESSAGE = "NEW_MESSAGE"
    OFFER_EXTENDED = "OFFER_EXTENDED"
    OFFER_COUNTERED = "OFFER_COUNTERED"
    OFFER_REVISED = "OFFER_REVISED"
    OFFER_ACCEPTED = "OFFER_ACCEPTED"
    OFFER_DECLINED = "OFFER_DECLINED"
    OFFER_WITHDRAWN = "OFFER_WITHDRAWN"
    OFFER_EXPIRING = "OFFER_EXPIRING"
    INTERVIEW_PROPOSED = "INTERVIEW_PROPOSED"
    INTERVIEW_PICKED = "INTERVIEW_PICKED"
    INTERVIEW_RESCHEDULED = "INTERVIEW_RESCHEDULED"
    INTERVIEW_CANCELLED = "INTERVIEW_CANCELLED"
    SAVED_SEARCH_MATCHES = "SAVED_SEARCH_MATCHES"
    PROFILE_STALE_SOON = "PROFILE_STALE_SOON"
    REPORT_RESOLVED = "REPORT_RESOLVED"
    JOIN_REQUEST = "JOIN_REQUEST"
    MODERATION_ACTION = "MODERATION_ACTION"


class MailFrequency(str, Enum):
    """How often a person is mailed about one kind of notification."""

    INSTANT = "INSTANT"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    OFF = "OFF"


class Notification(Model):
    """One thing a person should learn, or one group of them (the messages of one conversation, the matches of one saved search) merged while unread. Written in the transaction of the event that causes it."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE, db_index=True
    )
    kind = fields.CharEnumField(NotificationKind, max_length=40)
    # What it is about: a type name of the API (Conversation, Offer, SavedSearch, Profile …) and its id.
    subject_type = fields.CharField(max_length=40)
    subject_id = fields.BigIntField()
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications_caused", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    group_key = fields.CharField(max_length=200, null=True)
    # The group key while the notification is unread (null once read): unique per user, so
    # events of one group merge into one unread notification, also when they race.
    open_group = fields.CharField(max_length=200, null=True)
    count = fields.IntField(default=1)
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField()
    # The latest event merged into it (the inbox is ordered by it).
    updated_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)
    # True while an event of it has not been mailed (or skipped by the person's preferences).
    mail_due = fields.BooleanField(default=True, db_index=True)

    user_id: int
    actor_id: int | None

    class Meta:
        table = "notification"
        unique_together = (("user", "open_group"),)
        indexes = (("user_id", "updated_at"),)


class NotificationEvent(Model):
    """An event already notified: its dedupe key is unique, so one event never makes two notifications."""

    id = fields.BigIntField(primary_key=True)
    dedupe_key = fields.CharField(max_length=200, unique=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "models.Notification", related_name="events", on_delete=fields.CASCADE, db_index=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    notification_id: int

    class Meta:
        table = "notification_event"


class NotificationPreference(Model):
    """A person's chosen mail frequency for one kind (absent: the kind's default)."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notification_preferences", on_delete=fields.CASCADE, db_index=True
    )
    kind = fields.CharEnumField(NotificationKind, max_length=40)
    frequency = fields.CharEnumField(MailFrequency, max_length=8)
    updated_at = fields.DatetimeField(auto_now=True)

    user_id: int

    class Meta:
        table = "notification_preference"
        unique_together = (("user", "kind"),)


class MailSchedule(Model):
    """When a person may be mailed: an IANA time zone and quiet hours in it (absent: UTC, no quiet hours)."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="mail_schedule", on_delete=fields.CASCADE
    )
    time_zone = fields.CharField(max_length=64, null=True)
    # Local hours 0-23: no mail from quiet_start until quiet_end (across midnight when start > end).
    quiet_start = fields.SmallIntField(null=True)
    quiet_end = fields.SmallIntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    user_id: int

    class Meta:
        table = "mail_schedule"
