"""Ending subscriptions whose token is revoked or expires.

Every subscription listens, besides its own channels, on ``user:<id>:auth``
(``resolvers.events.auth_channel``). ``logOut`` and account deletion announce revoked
token ids there (``resolvers.accounts.events``); ``guarded`` then ends the stream of a
socket signed in with one of them with an UNAUTHENTICATED error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

from resolvers.accounts.access import Session
from resolvers.accounts.events import announce_revoked_tokens
from resolvers.errors import Unauthenticated
from resolvers.events import auth_channel
from subscriptions.broker import Subscription

# Re-exported: the chat, offers and search subscriptions take the channel from here, and
# the profiles graph layer still announces an account deletion through this name.
__all__ = ["announce_revoked_tokens", "auth_channel", "check_session", "guarded"]


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
