"""Saved-search alerts: the ``candidateMatched`` event stream.

Flow: a profile write commits → ``resolvers.search.notify_profile_changed`` runs the
matcher, which records each newly matching saved search in ``SavedSearchMatch`` and
publishes ``saved_search:<id>`` with ids only → each subscriber re-checks that the
saved search is still its company's, and ``resolvers.search.matching.alert_for``
re-reads the profile, re-checks visibility and blocks *at the moment of sending* and
writes a ``SEARCH_ALERT`` access-log entry before the candidate is pushed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from resolvers.accounts import Session
from resolvers.errors import NotFound
from resolvers.events import auth_channel, saved_search_channel
from resolvers.profiles.access import viewer_info
from resolvers.search.access import company_saved_search, require_employer
from resolvers.search.events import CANDIDATE_MATCHED
from resolvers.search.matching import MatchAlert, alert_for
from subscriptions.accounts import check_session, guarded
from subscriptions.broker import Broker

__all__ = ["MatchAlert", "candidate_matched"]


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
            if event.get("type") != CANDIDATE_MATCHED:
                continue
            viewer = await viewer_info(session.user)
            if await company_saved_search(viewer, saved_search_id) is None:
                return  # deleted, or the employer left the company
            alert = await alert_for(viewer, saved_search_id, int(event["profileId"]))
            if alert is not None:
                yield alert
