"""Ending subscriptions whose token is revoked or expires.

Every subscription listens, besides its own channels, on ``user:<id>:auth``. ``logOut``
(and account deletion) announce revoked token ids there; ``guarded`` then ends the
stream of a socket signed in with one of them with an UNAUTHENTICATED error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

from resolvers.accounts import Session
from resolvers.errors import Unauthenticated
from resolvers.events import auth_channel
from subscriptions.broker import Broker, Subscription


async def announce_revoked_tokens(broker: Broker, user_id: int, token_ids: list[int]) -> None:
    if token_ids:
        await broker.publish(auth_channel(user_id), {"type": "tokens_revoked", "tokenIds": token_ids})


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
