"""The service's periodic jobs: one line each (``Job(name, function, every=…)``)."""

from __future__ import annotations

from datetime import timedelta

from resolvers.chat.expiry import expire_contact_requests
from resolvers.notifications.digests import send_due_mail
from resolvers.offers.reminders import warn_expiring_offers
from resolvers.profiles.reminders import remind_stale_profiles
from resolvers.scheduler.registry import Job, JobRegistry, JobRun


async def mail_notifications(run: JobRun) -> int:
    """Instant notification mails not sent yet, and the daily and weekly digests due now
    (``resolvers.notifications.digests``), written to the outbox."""
    return await send_due_mail(run.now, settings=run.settings)


def default_jobs() -> JobRegistry:
    """Every periodic job of the service, as ``openforwork worker`` and ``serve`` run them."""
    return JobRegistry([
        Job("expire_contact_requests", expire_contact_requests, every=timedelta(hours=1)),
        Job("remind_stale_profiles", remind_stale_profiles, every=timedelta(hours=6)),
        Job("warn_expiring_offers", warn_expiring_offers, every=timedelta(hours=1)),
        Job("mail_notifications", mail_notifications, every=timedelta(minutes=5)),
    ])
