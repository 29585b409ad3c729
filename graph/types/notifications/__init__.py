"""Notifications in GraphQL: ``types`` (the notification, its kind, mail frequencies and
preferences), ``inputs`` (mutation inputs and payloads) and ``operations`` (the
Query/Mutation/Subscription roots and ``node(id:)`` resolver)."""

from graph.types.notifications.operations import NotificationsMutation, NotificationsQuery, NotificationsSubscription

__all__ = ["NotificationsMutation", "NotificationsQuery", "NotificationsSubscription"]
