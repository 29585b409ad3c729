"""Who sees a notification: the person it is for, nobody else (another person's reads
as not found). The inbox and the preferences need a signed-in person of either role."""

from __future__ import annotations

from models.accounts import User
from models.notifications import Notification
from resolvers.errors import Unauthenticated


def require_person(user: User | None) -> User:
    """The signed-in person; UNAUTHENTICATED without one."""
    if user is None:
        raise Unauthenticated()
    return user


def sees_notification(user: User | None, notification: Notification | None) -> bool:
    return user is not None and notification is not None and notification.user_id == user.pk
