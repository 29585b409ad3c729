"""What search announces after commit: new matches of saved searches.

Channel ``saved_search:<id>`` (``resolvers.events.saved_search_channel``); event
``{"type": "candidate_matched", "savedSearchId": …, "profileId": …}``, ids only:
the subscriber re-reads the profile and re-checks access (``matching.alert_for``).
"""

from __future__ import annotations

from typing import Any

from resolvers.events import Publisher, publish_after_commit, saved_search_channel
from resolvers.notifications import publish_notifications
from resolvers.search.matching import match_profile

CANDIDATE_MATCHED = "candidate_matched"


def candidate_matched_event(saved_search_id: int, profile_id: int) -> dict[str, Any]:
    return {"type": CANDIDATE_MATCHED, "savedSearchId": saved_search_id, "profileId": profile_id}


async def notify_profile_changed(publisher: Publisher, profile_id: int, *, ttl_days: int) -> list[int]:
    """Call after a transaction that wrote a profile (or its skills or experience) has
    committed: records each saved search the profile newly matches and announces it on
    ``saved_search:<id>`` (ids only), and the company's notifications (``notificationAdded``). ``ttl_days`` is the running app's freshness period
    (``settings.availability_ttl_days``, from ``AVAILABILITY_TTL_DAYS``); the caller
    passes it, there is no default. Returns the saved-search ids alerted."""
    fired, notified = await match_profile(profile_id, ttl_days=ttl_days)
    for saved_search_id in fired:
        await publish_after_commit(
            publisher, (saved_search_channel(saved_search_id),), candidate_matched_event(saved_search_id, profile_id)
        )
    await publish_notifications(publisher, notified)
    return fired
