"""Stale-profile reminders (a scheduled job, ``resolvers/scheduler``).

A profile drops out of default search ``AVAILABILITY_TTL_DAYS`` after its freshness stamp
(``freshness.py``). ``REMINDER_DAYS`` before that, its owner gets one mail asking to
confirm availability: one per staleness period, because the mail's ``dedupe_key`` names
the stamp (a confirmation starts a new period, and a new reminder later). Hired
candidates get none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q

from models.accounts import User
from models.profiles import OpenToWork, Profile
from resolvers.mail import enqueue_mail
from resolvers.profiles.freshness import fresh_since

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

REMINDER_DAYS = 7


async def remind_stale_profiles(run: JobRun) -> int:
    """The job: mail every candidate whose profile goes stale within ``REMINDER_DAYS``."""
    ttl = timedelta(days=run.settings.availability_ttl_days)
    # Stamps in [now - ttl, now - ttl + 7 days): fresh today, stale within a week.
    lowest, highest = run.now - ttl, run.now - ttl + timedelta(days=REMINDER_DAYS)
    confirmed = Q(availability_confirmed_at__gte=lowest, availability_confirmed_at__lt=highest)
    never_confirmed = Q(availability_confirmed_at=None, created_at__gte=lowest, created_at__lt=highest)
    profiles = await Profile.filter(confirmed | never_confirmed).exclude(open_to_work=OpenToWork.HIRED)
    users = {u.pk: u for u in await User.filter(id__in=[p.user_id for p in profiles])}
    reminded = 0
    for profile in profiles:
        stamp = fresh_since(profile)
        stale_on = (stamp + ttl).date().isoformat()
        mail = await enqueue_mail(
            kind="profile_stale_reminder",
            to_address=users[profile.user_id].email,
            subject=f"Your profile leaves search results on {stale_on}",
            body_text=(
                f"Your profile @{profile.handle} stops appearing in employers' searches on {stale_on}, "
                f"{run.settings.availability_ttl_days} days after you last confirmed you are available. "
                "Confirm your availability to stay visible."
            ),
            dedupe_key=f"profile_stale:{profile.pk}:{stamp.isoformat()}",
        )
        reminded += mail is not None
    return reminded
