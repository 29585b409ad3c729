"""Saved-search alerts: ``notify_profile_changed`` (called after a profile write commits)
and the ``candidateMatched`` event stream.

Flow: a profile write commits → ``notify_profile_changed(broker, profile_id)`` publishes
``profile_changed`` and runs the matcher, which records each newly matching saved search
in ``SavedSearchMatch`` and publishes ``saved_search:<id>`` with ids only → each
subscriber re-reads the profile, re-checks visibility and blocks *at the moment of
sending*, writes a ``SEARCH_ALERT`` access-log entry and pushes the candidate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone

from graph.settings import Settings
from models.accounts import User
from models.profiles import Profile, Skill
from resolvers.accounts import Session
from resolvers.errors import NotFound
from resolvers.privacy import ProfileAccess, profile_access, viewer_info
from resolvers.search.saved import company_saved_search, match_profile, record_alert, require_employer
from subscriptions.auth import auth_channel, check_session, guarded
from subscriptions.broker import Broker

PROFILE_CHANGED = "profile_changed"


def saved_search_channel(saved_search_id: int) -> str:
    return f"saved_search:{saved_search_id}"


async def notify_profile_changed(
    broker: Broker, profile_id: int, *, ttl_days: int = Settings.availability_ttl_days
) -> list[int]:
    """Call after a transaction that wrote a profile (or its skills or experience) has
    committed. Returns the saved-search ids alerted."""
    await broker.publish(PROFILE_CHANGED, {"type": PROFILE_CHANGED, "profileId": profile_id})
    fired = await match_profile(profile_id, ttl_days=ttl_days)
    for saved_search_id in fired:
        await broker.publish(
            saved_search_channel(saved_search_id),
            {"type": "candidate_matched", "savedSearchId": saved_search_id, "profileId": profile_id},
        )
    return fired


@dataclass
class MatchAlert:
    saved_search_id: int
    profile: Profile
    skills: list[Skill]
    access: ProfileAccess
    matched_at: datetime
    display_name: str | None


async def candidate_matched(
    broker: Broker, session: Session | None, saved_search_id: int
) -> AsyncIterator[MatchAlert]:
    check_session(session)
    assert session is not None
    viewer = await require_employer(session.user)
    if await company_saved_search(viewer, saved_search_id) is None:
        raise NotFound("No such saved search.")
    channels = (saved_search_channel(saved_search_id), auth_channel(session.user.pk))
    async with broker.subscribe(*channels) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != "candidate_matched":
                continue
            viewer = await viewer_info(session.user)
            if await company_saved_search(viewer, saved_search_id) is None:
                return  # deleted, or the employer left the company
            profile = await Profile.get_or_none(id=int(event["profileId"]))
            if profile is None:
                continue
            access = await profile_access(viewer, profile)
            if not access.visible:
                continue
            await record_alert(viewer, profile.pk)
            skills = list(await Skill.filter(profile_id=profile.pk).order_by("position", "id"))
            user = await User.get_or_none(id=profile.user_id)
            name = user.display_name if user is not None and access.identity else None
            yield MatchAlert(saved_search_id, profile, skills, access, datetime.now(timezone.utc), name)
