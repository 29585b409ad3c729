"""What profile writes announce, once their transaction has committed
(``resolvers.events.publish_after_commit``; channel names live there).

- A changed profile is matched against the saved searches that alert
  (``resolvers.search.saved.notify_profile_changed``): new matches go to
  ``candidateMatched``. The write has landed; a failure to alert is logged, never turned
  into a failed mutation.
- A deleted account's revoked tokens end its open subscriptions (``auth_channel``).
- A block tells the blocked companies' open subscriptions (``resolvers.chat``'s
  ``announce_block``); deletion closes offers and contact requests (``resolvers.offers``,
  ``resolvers.chat``). Those events belong to their features and are published there.
"""

from __future__ import annotations

import logging

from resolvers.events import Publisher
from resolvers.search.saved import notify_profile_changed

logger = logging.getLogger("openforwork.profiles")


async def profile_changed(publisher: Publisher, profile_id: int, *, ttl_days: int) -> None:
    """After a committed profile write: keep saved-search alerts current. ``ttl_days`` is
    the configured freshness (``AVAILABILITY_TTL_DAYS``)."""
    try:
        await notify_profile_changed(publisher, profile_id, ttl_days=ttl_days)
    except Exception:  # alerting must not undo or hide a committed edit
        logger.exception("saved-search matching failed for profile %s", profile_id)
