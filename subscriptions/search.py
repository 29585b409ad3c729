"""Saved-search alerts: the ``candidateMatched`` event stream.

Flow: a profile write commits → ``resolvers.search.saved.notify_profile_changed`` runs
the matcher, which records each newly matching saved search in ``SavedSearchMatch`` and
publishes ``saved_search:<id>`` with ids only → each
subscriber re-reads the profile, re-checks visibility and blocks *at the moment of
sending*, writes a ``SEARCH_ALERT`` access-log entry and pushes the candidate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone

from models.accounts import User
from models.profiles import Profile, Skill
from resolvers.accounts import Session
from resolvers.errors import NotFound
from resolvers.events import saved_search_channel
from resolvers.profiles.access import ProfileAccess, profile_access, viewer_info
from resolvers.search.saved import (
    company_saved_search,
    record_alert,
    require_employer,
)
from subscriptions.accounts import auth_channel, check_session, guarded
from subscriptions.broker import Broker


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
