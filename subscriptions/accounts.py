"""Ending subscriptions whose token is revoked or expires, and keeping the session cache
true to the database.

Every subscription listens, besides its own channels, on ``user:<id>:auth``
(``resolvers.events.auth_channel``). ``logOut`` and account deletion announce revoked
token ids there (``resolvers.accounts.events``); ``guarded`` then ends the stream of a
socket signed in with one of them with an UNAUTHENTICATED error.

``session_evictions`` keeps a process's session cache (``resolvers.accounts.sessions``)
in step: it watches the ``sessions`` channel, where every revocation and every change of
a viewer's rights is announced, and evicts those accounts' tokens as the event arrives —
synchronously, in the broker's own delivery (and, in the announcing process, inside the
publish), never behind a queue. A broker reconnection clears the cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

from resolvers.accounts.access import Session
from resolvers.accounts.events import VIEWERS_CHANGED, announce_revoked_tokens
from resolvers.accounts.sessions import SessionCache
from resolvers.errors import Unauthenticated
from resolvers.events import SESSIONS_CHANNEL, auth_channel
from subscriptions.broker import RESYNC_TYPE, Broker, Subscription

# Re-exported: the chat, offers and search subscriptions take the channel from here, and
# the profiles graph layer still announces an account deletion through this name.
__all__ = ["announce_revoked_tokens", "auth_channel", "check_session", "guarded", "session_evictions"]


def check_session(session: Session | None) -> None:
    if session is None:
        raise Unauthenticated()
    if session.token.expires_at <= datetime.now(timezone.utc):
        raise Unauthenticated("Your token expired; sign in again and resubscribe.")


async def guarded(session: Session, subscription: Subscription) -> AsyncIterator[dict[str, Any]]:
    """Events of ``subscription`` (which must include the session's auth channel);
    raises ``Unauthenticated`` once the session's token is revoked or expired."""
    own_channel = auth_channel(session.user.pk)
    async for event in subscription:
        if event.get("channel") == own_channel:
            if session.token.pk in event.get("tokenIds", ()):
                raise Unauthenticated("Your token was revoked; sign in again and resubscribe.")
            continue
        check_session(session)
        yield event


def _evict(cache: SessionCache, event: dict[str, Any]) -> None:
    if event.get("type") == RESYNC_TYPE:
        cache.clear()
    elif event.get("type") == VIEWERS_CHANGED:
        cache.evict_users(int(user_id) for user_id in event.get("userIds", ()))
    else:
        cache.clear()  # an event this version does not know: forget rather than guess


@contextlib.asynccontextmanager
async def session_evictions(broker: Broker, cache: SessionCache) -> AsyncIterator[None]:
    """For the block's duration, evict ``cache`` entries as the ``sessions`` channel
    announces changed accounts; on entry the channel is subscribed."""
    async with broker.watch(SESSIONS_CHANNEL, lambda event: _evict(cache, event)):
        yield
