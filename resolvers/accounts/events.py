"""What accounts announce after commit:

- revoked tokens, on the account's auth channel (``resolvers.events.auth_channel``).
  Every open subscription of the account listens there and ends when its own token is
  among them (``subscriptions.accounts.guarded``);
- accounts whose signed-in view changed (a token revoked, a role, a company, a confirmed
  email), on the ``sessions`` channel (``resolvers.events.SESSIONS_CHANNEL``): every
  worker's session cache (``resolvers.accounts.sessions``) forgets their tokens, so the
  next request reads them fresh. A revocation announces both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from resolvers.events import SESSIONS_CHANNEL, Publisher, auth_channel, publish_after_commit

TOKENS_REVOKED = "tokens_revoked"
VIEWERS_CHANGED = "viewers_changed"


def tokens_revoked_event(token_ids: list[int]) -> dict[str, Any]:
    return {"type": TOKENS_REVOKED, "tokenIds": token_ids}


def viewers_changed_event(user_ids: list[int]) -> dict[str, Any]:
    return {"type": VIEWERS_CHANGED, "userIds": user_ids}


async def announce_viewers_changed(publisher: Publisher, user_ids: Iterable[int]) -> None:
    """Announce that what these accounts' tokens prove changed; call once committed."""
    ids = sorted(set(user_ids))
    if ids:
        await publish_after_commit(publisher, [SESSIONS_CHANNEL], viewers_changed_event(ids))


async def announce_revoked_tokens(publisher: Publisher, user_id: int, token_ids: list[int]) -> None:
    """Announce that ``token_ids`` of ``user_id`` were revoked; call once the revocation
    is committed. Nothing to announce, nothing published. The session caches hear it
    first, so no request is answered from a cached session once the sockets end."""
    if token_ids:
        await announce_viewers_changed(publisher, [user_id])
        await publish_after_commit(publisher, [auth_channel(user_id)], tokens_revoked_event(token_ids))
