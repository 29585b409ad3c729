"""Mail about notifications: ``send_due_mail(now)`` writes to the outbox what is due at
``now`` — each INSTANT notification not yet mailed, and the DAILY and WEEKLY digests
whose moment has come (``schedule``) — and returns how many mails it wrote. A scheduler
runs it every minute or so; it never sleeps and never sends itself (the mail sender
delivers the outbox).

Rules, per person:

- nothing during quiet hours; nothing to a deleted account;
- a notification already read is not mailed (the person saw it), nor one of a kind set OFF;
- messages: the recipient counts as *offline* when the conversation's notification is
  still unread ``message_delay`` after its latest message (and the conversation's read
  position has not reached it): only then it is mailed. This rule needs no knowledge of
  open sockets, so it holds with any number of workers;
- each item is re-checked at this moment (``rendering``): a block made after the event
  cancels it, an anonymous candidate's name never reaches an employer;
- each notification is claimed with a conditional UPDATE in the transaction that writes
  the mail (outbox rows have dedupe keys too): two schedulers running at once mail it once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from graph.settings import Settings
from models.accounts import User
from models.chat import Conversation
from models.notifications import MailFrequency, Notification, NotificationKind
from resolvers.mail import enqueue_mail
from resolvers.notifications.commands import mark_group_read
from resolvers.notifications.mails import MailLinks, RenderedMail, digest_mail, single_mail
from resolvers.notifications.rendering import MailItem, render
from resolvers.notifications.schedule import Preferences, preferences_of

# People handled per run (the next run takes the rest).
MAX_PEOPLE_PER_RUN = 500
PERIOD = {MailFrequency.DAILY: "daily", MailFrequency.WEEKLY: "weekly"}


async def send_due_mail(now: datetime, *, settings: Settings | None = None) -> int:
    """Write every mail due at ``now`` to the outbox; the number written. ``settings``
    gives the public address, the secret for unsubscribe links and the message delay
    (default: the environment's, as the running service reads them)."""
    settings = settings or Settings.from_env()
    links = MailLinks(settings.public_url, settings.secret_key)
    delay = timedelta(minutes=settings.message_mail_delay_minutes)
    rows = (
        await Notification.filter(mail_due=True, updated_at__lte=now)
        .distinct().order_by("user_id").limit(MAX_PEOPLE_PER_RUN).values("user_id")
    )
    written = 0
    for row in rows:
        written += await _mail_person(int(row["user_id"]), now, links, delay)
    return written


async def _mail_person(user_id: int, now: datetime, links: MailLinks, delay: timedelta) -> int:
    user = await User.get_or_none(id=user_id)
    due = list(await Notification.filter(user_id=user_id, mail_due=True, updated_at__lte=now).order_by("id"))
    if user is None or user.deleted_at is not None:
        await _claim(due)
        return 0
    prefs = await preferences_of(user_id)
    if prefs.quiet_at(now):
        return 0
    skip: list[Notification] = []
    instant: list[Notification] = []
    digests: dict[MailFrequency, list[Notification]] = defaultdict(list)
    for notification in due:
        frequency = prefs.frequency(notification.kind)
        if notification.read_at is not None or frequency == MailFrequency.OFF:
            skip.append(notification)
        elif notification.kind == NotificationKind.NEW_MESSAGE:
            if notification.updated_at > now - delay:
                continue  # maybe still online: wait
            if await _seen_in_chat(user, notification):
                skip.append(notification)
            elif frequency == MailFrequency.INSTANT:
                instant.append(notification)
            elif notification.updated_at <= prefs.digest_moment(frequency, now):
                digests[frequency].append(notification)
        elif frequency == MailFrequency.INSTANT:
            instant.append(notification)
        elif notification.updated_at <= prefs.digest_moment(frequency, now):
            digests[frequency].append(notification)
    await _claim(skip)
    written = 0
    for notification in instant:
        written += await _send(user, [notification], None, now, links, prefs)
    for frequency, batch in digests.items():
        written += await _send(user, batch, frequency, now, links, prefs)
    return written


async def _seen_in_chat(user: User, notification: Notification) -> bool:
    """Did the person read the conversation up to the latest message notified? Then
    the notification is read too."""
    conversation = await Conversation.get_or_none(id=notification.subject_id)
    if conversation is None:
        return True
    read_seq = conversation.candidate_read_seq if user.pk == conversation.candidate_id else conversation.company_read_seq
    if read_seq < int(notification.data.get("seq", 0)):
        return False
    await mark_group_read(user.pk, f"conversation:{conversation.pk}")
    return True


async def _claim(notifications: list[Notification]) -> list[Notification]:
    """Take notifications off the mail queue as they were read; those another run took
    (or that counted a new event since) are left out."""
    claimed = []
    for notification in notifications:
        taken = await Notification.filter(id=notification.pk, mail_due=True, count=notification.count).update(
            mail_due=False
        )
        if taken:
            claimed.append(notification)
    return claimed


async def _send(
    user: User,
    batch: list[Notification],
    frequency: MailFrequency | None,
    now: datetime,
    links: MailLinks,
    prefs: Preferences,
) -> int:
    """One mail (a single notification, or a digest) in one transaction with its claims."""
    async with in_transaction():
        claimed = await _claim(batch)
        items: list[MailItem] = [item for n in claimed if (item := await render(user, n)) is not None]
        if not items:
            return 0
        if frequency is None:
            mail: RenderedMail = single_mail(links, user.pk, user.display_name, items[0])
            key = f"notification:{claimed[0].pk}:{claimed[0].count}"
        else:
            mail = digest_mail(links, user.pk, user.display_name, PERIOD[frequency], items)
            key = f"digest:{frequency.value}:{user.pk}:{prefs.digest_moment(frequency, now).isoformat()}"
        written = await enqueue_mail(
            kind=f"notification_{frequency.value.lower() if frequency else 'instant'}",
            to_address=user.email, subject=mail.subject, body_text=mail.body_text, body_html=mail.body_html,
            dedupe_key=key,
        )
    return 1 if written is not None else 0
