"""Notifications: one inbox per person, email at the rhythm each person chose.

In the names every feature uses:

- ``commands``: ``notify`` — the contract: call it inside the transaction of the event
  that causes it (never two for one event: ``dedupe_key``; ``group_key`` merges events
  of one group into one unread notification that counts them) —, marking read, and
  the mail preferences;
- ``events``: ``publish_notifications`` after commit (``notificationAdded``);
- ``triggers``: who chat, offers, saved searches and the scheduler's timed work
  (stale profiles, expiring offers, expired contact requests) tell, one call per event;
  ``interview_triggers`` and ``governance_triggers`` (join requests, reports, moderation)
  the same for their events;
- ``queries`` / ``access`` / ``loaders``: the inbox, the unread count, the preferences;
- ``kinds``: each kind's default mail frequency and name;
- ``schedule``: time zone, quiet hours and digest moments;
- ``digests``: ``send_due_mail(now)``, the mails due at ``now`` (a scheduler calls it);
- ``rendering`` / ``mails``: what a mail says, re-checked against privacy when sent,
  rendered from ``templates/``;
- ``unsubscribe``: the signed one-click unsubscribe token per kind.
"""

from models.notifications import MailFrequency, NotificationKind
from resolvers.notifications.commands import notify
from resolvers.notifications.digests import send_due_mail
from resolvers.notifications.events import publish_notifications

__all__ = ["MailFrequency", "NotificationKind", "notify", "publish_notifications", "send_due_mail"]
