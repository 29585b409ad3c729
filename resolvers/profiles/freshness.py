"""Freshness: whether a profile counts as available, in ONE definition for Python and SQL.

A profile is fresh from the moment it exists until ``ttl_days`` (``AVAILABILITY_TTL_DAYS``)
after its freshness stamp: the last ``confirmAvailability`` or, never confirmed, its
creation at sign-up. The stamp is the first non-null of ``STAMP_COLUMNS``; ``fresh_since``
reads it from a model, ``fresh_since_sql`` renders the same rule as SQL (``COALESCE``,
the same on SQLite and PostgreSQL). ``Profile.stale``, default search and saved-search
matching all go through here (issue 12, item 4: search compared the confirmation alone,
so a candidate who never confirmed was invisible on her first day while reading fresh).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from models.profiles import Profile

# The freshness stamp: the first of these columns that is not null.
STAMP_COLUMNS = ("availability_confirmed_at", "created_at")


def fresh_since(profile: Profile) -> datetime:
    """The profile's freshness stamp (``STAMP_COLUMNS``, first non-null)."""
    for column in STAMP_COLUMNS:
        value: datetime | None = getattr(profile, column)
        if value is not None:
            return value
    raise ValueError(f"profile {profile.pk} has no {STAMP_COLUMNS[-1]}")


def fresh_since_sql(alias: str) -> str:
    """The freshness stamp of the profile row ``alias`` as an SQL expression."""
    return "COALESCE(" + ", ".join(f"{alias}.{column}" for column in STAMP_COLUMNS) + ")"


def stale_before(ttl_days: int, now: datetime | None = None) -> datetime:
    """Profiles whose stamp is older than this are stale."""
    return (now or datetime.now(timezone.utc)) - timedelta(days=ttl_days)


def is_stale(profile: Profile, ttl_days: int, now: datetime | None = None) -> bool:
    return fresh_since(profile) < stale_before(ttl_days, now)
