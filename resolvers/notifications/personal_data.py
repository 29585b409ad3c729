"""A person's notification data for ``exportMyData`` and its erasure for
``deleteMyAccount`` (``resolvers/profiles/data_rights.py`` calls both)."""

from __future__ import annotations

from typing import Any

from models.notifications import MailSchedule, Notification, NotificationPreference


async def export_personal_data(user_id: int) -> dict[str, Any]:
    """The person's notifications, mail preferences and mail schedule, as stored."""
    schedule = await MailSchedule.get_or_none(user_id=user_id)
    return {
        "notifications": [_plain(n) for n in await Notification.filter(user_id=user_id).order_by("id")],
        "notificationPreferences": [
            {"kind": p.kind.value, "frequency": p.frequency.value, "updatedAt": p.updated_at.isoformat()}
            for p in await NotificationPreference.filter(user_id=user_id).order_by("id")
        ],
        "mailSchedule": (
            {"timeZone": schedule.time_zone, "quietStart": schedule.quiet_start, "quietEnd": schedule.quiet_end}
            if schedule is not None
            else None
        ),
    }


def _plain(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk, "kind": n.kind.value, "subjectType": n.subject_type, "subjectId": n.subject_id,
        "count": n.count, "data": n.data, "createdAt": n.created_at.isoformat(), "updatedAt": n.updated_at.isoformat(),
        "readAt": n.read_at.isoformat() if n.read_at else None,
    }


async def erase_personal_data(user_id: int) -> None:
    """Inside the deletion's transaction: the inbox, the preferences and the schedule go;
    other people's notifications no longer name the person as who caused them."""
    await Notification.filter(user_id=user_id).delete()  # their NotificationEvent rows cascade
    await NotificationPreference.filter(user_id=user_id).delete()
    await MailSchedule.filter(user_id=user_id).delete()
    await Notification.filter(actor_id=user_id).update(actor_id=None)
