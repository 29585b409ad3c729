"""Notifications' writes: ``notify`` (the contract every feature calls inside the
transaction of its event), marking notifications read, and email preferences.

``notify`` writes at most one notification per event: an event named by ``dedupe_key``
is recorded (``NotificationEvent``, unique key), and a second call for it writes nothing
and returns ``None``. With ``group_key``, events of one group (the messages of one
conversation, the matches of one saved search) merge into the person's one *unread*
notification of that group, which counts them; once read, the next event starts a new
one. Two events of one group racing on PostgreSQL meet at the unique index on
``(user, open_group)``: the loser's insert is rolled back to a savepoint and merged.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import User
from models.notifications import (
    MailFrequency,
    MailSchedule,
    Notification,
    NotificationEvent,
    NotificationKind,
    NotificationPreference,
)
from resolvers.errors import Problems, UserErrorCode, UserErrors

# Lists kept in a grouped notification's data (such as the matched profiles): the latest ones.
MAX_GROUPED_ITEMS = 50
MAX_TIME_ZONE = 64
_UNSET: Any = object()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


async def notify(
    user_id: int,
    kind: NotificationKind,
    *,
    subject_type: str,
    subject_id: int,
    actor_id: int | None = None,
    group_key: str | None = None,
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tell ``user_id`` about an event; call inside the event's transaction
    (``RuntimeError`` otherwise) and publish the result after commit
    (``events.publish_notifications``). ``None`` when the event was already notified."""
    if not isinstance(connections.get("default"), TransactionalDBClient):
        raise RuntimeError("notify must be called inside in_transaction()")
    if dedupe_key is not None and await NotificationEvent.filter(dedupe_key=dedupe_key).exists():
        return None
    now = utcnow()
    notification = await _merge(user_id, group_key, data or {}, actor_id, now) if group_key else None
    if notification is None:
        values: dict[str, Any] = {
            "user_id": user_id, "kind": kind, "subject_type": subject_type, "subject_id": subject_id, "actor_id": actor_id,
            "group_key": group_key, "open_group": group_key, "data": _merged({}, data or {}), "created_at": now, "updated_at": now,
        }
        if group_key is None:
            notification = await Notification.create(**values)
        else:
            try:
                async with in_transaction():  # a savepoint: a lost race rolls back only this insert
                    notification = await Notification.create(**values)
            except IntegrityError:
                notification = await _merge(user_id, group_key, data or {}, actor_id, now)
                if notification is None:
                    raise
    if dedupe_key is not None:
        await NotificationEvent.create(dedupe_key=dedupe_key, notification_id=notification.pk)
    return notification


async def _merge(user_id: int, group_key: str, data: dict[str, Any], actor_id: int | None, now: datetime) -> Notification | None:
    """Count one more event into the unread notification of the group, if there is one."""
    current = await Notification.filter(user_id=user_id, open_group=group_key).select_for_update().first()
    if current is None:
        return None
    current.count += 1
    current.updated_at = now
    current.mail_due = True
    current.data = _merged(current.data, data)
    current.actor_id = actor_id if actor_id is not None else current.actor_id
    await current.save(update_fields=["count", "updated_at", "mail_due", "data", "actor_id"])
    return current


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Lists grow (the latest ``MAX_GROUPED_ITEMS``, no repeats); other values are replaced."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list):
            previous = [item for item in merged.get(key, []) if item not in value]
            merged[key] = (previous + value)[-MAX_GROUPED_ITEMS:]
        else:
            merged[key] = value
    return merged


async def mark_read(user: User, *, ids: list[int] | None, up_to: int | None) -> int:
    """Mark the viewer's notifications read: those named, and with ``up_to`` every one at
    or below it in inbox order. Another person's ids are ignored (as if they did not
    exist). Returns how many changed."""
    if ids is None and up_to is None:
        raise UserErrors.single(UserErrorCode.REQUIRED, "Name the notifications (ids) or where to stop (upTo).", ["ids"])
    conditions: list[Q] = [Q(id__in=ids)] if ids else []
    if up_to is not None:
        last = await Notification.get_or_none(id=up_to, user_id=user.pk)
        if last is None:
            raise UserErrors.single(UserErrorCode.NOT_FOUND, "No such notification.", ["upTo"])
        conditions.append(Q(updated_at__lt=last.updated_at) | Q(updated_at=last.updated_at, id__lte=last.pk))
    if not conditions:
        return 0
    return await Notification.filter(Q(*conditions, join_type="OR"), user_id=user.pk, read_at__isnull=True).update(
        read_at=utcnow(), open_group=None
    )


async def mark_group_read(user_id: int, group_key: str) -> int:
    """Mark the person's unread notification of one group read (they saw what it tells)."""
    return await Notification.filter(user_id=user_id, open_group=group_key, read_at__isnull=True).update(
        read_at=utcnow(), open_group=None
    )


def check_time_zone(problems: Problems, value: str | None) -> str | None:
    """An IANA time zone name (``Europe/Berlin``), or None to clear it."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_TIME_ZONE or value not in available_timezones():
        problems.add(UserErrorCode.INVALID, "Not an IANA time zone name, such as Europe/Berlin.", "timeZone")
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(UserErrorCode.INVALID, "Not an IANA time zone name, such as Europe/Berlin.", "timeZone")
    return value


async def update_preferences(
    user: User,
    frequencies: dict[NotificationKind, MailFrequency],
    *,
    time_zone: str | None = _UNSET,
    quiet_hours: tuple[int, int] | None = _UNSET,
) -> None:
    """Set the mail frequency of the kinds named, and (when given) the time zone and the
    quiet hours (``None`` clears them). Other kinds keep their setting."""
    problems = Problems()
    if time_zone is not _UNSET:
        time_zone = check_time_zone(problems, time_zone)
    if quiet_hours not in (_UNSET, None):
        assert isinstance(quiet_hours, tuple)
        for name, hour in zip(("quietHoursStart", "quietHoursEnd"), quiet_hours, strict=True):
            if not 0 <= hour <= 23:
                problems.add(UserErrorCode.OUT_OF_RANGE, "An hour is 0 to 23.", name)
    problems.raise_if_any()
    async with in_transaction():
        for kind, frequency in frequencies.items():
            updated = await NotificationPreference.filter(user_id=user.pk, kind=kind).update(frequency=frequency)
            if not updated:
                await NotificationPreference.create(user_id=user.pk, kind=kind, frequency=frequency)
        if time_zone is _UNSET and quiet_hours is _UNSET:
            return
        schedule, _ = await MailSchedule.get_or_create(user_id=user.pk)
        if time_zone is not _UNSET:
            schedule.time_zone = time_zone
        if quiet_hours is not _UNSET:
            schedule.quiet_start, schedule.quiet_end = quiet_hours if quiet_hours is not None else (None, None)
        await schedule.save()


async def set_frequency(user_id: int, kind: NotificationKind, frequency: MailFrequency) -> None:
    """One preference (the unsubscribe link); idempotent."""
    async with in_transaction():
        if not await NotificationPreference.filter(user_id=user_id, kind=kind).update(frequency=frequency):
            await NotificationPreference.create(user_id=user_id, kind=kind, frequency=frequency)


def quiet_hours_incomplete() -> UserErrors:
    return UserErrors.single(
        UserErrorCode.REQUIRED, "Give both quietHoursStart and quietHoursEnd, or both null to turn quiet hours off.",
        ["quietHoursEnd"],
    )
