"""Stale-profile reminders (a scheduled job, ``resolvers/scheduler``).

A profile drops out of default search ``AVAILABILITY_TTL_DAYS`` after its freshness stamp
(``freshness.py``). ``REMINDER_DAYS`` before that, its owner gets one ``PROFILE_STALE_SOON``
notification asking to confirm availability (mailed as the owner chose for that kind,
INSTANT by default): one per staleness period, because its ``dedupe_key`` names the stamp
(a confirmation starts a new period, and a new reminder later). Hired candidates get none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.profiles import OpenToWork, Profile
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.triggers import profile_stale_soon
from resolvers.profiles.freshness import fresh_since

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

REMINDER_DAYS = 7


async def remind_stale_profiles(run: JobRun) -> int:
    """The job: tell every candidate whose profile goes stale within ``REMINDER_DAYS``."""
    ttl = timedelta(days=run.settings.availability_ttl_days)
    # Stamps in [now - ttl, now - ttl + 7 days): fresh today, stale within a week.
    lowest, highest = run.now - ttl, run.now - ttl + timedelta(days=REMINDER_DAYS)
    confirmed = Q(availability_confirmed_at__gte=lowest, availability_confirmed_at__lt=highest)
    never_confirmed = Q(availability_confirmed_at=None, created_at__gte=lowest, created_at__lt=highest)
    profiles = await Profile.filter(confirmed | never_confirmed).exclude(open_to_work=OpenToWork.HIRED)
    reminded = 0
    for profile in profiles:
        stamp = fresh_since(profile)
        async with in_transaction():
            notified = await profile_stale_soon(
                profile.pk, profile.user_id, stale_on=(stamp + ttl).date().isoformat(), period=stamp.isoformat(),
                handle=profile.handle,
            )
        await publish_notifications(run.publisher, notified)
        reminded += len(notified)
    return reminded
