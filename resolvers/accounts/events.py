"""What accounts announce after commit: revoked tokens, on the account's auth channel
(``resolvers.events.auth_channel``). Every open subscription of the account listens
there and ends when its own token is among them (``subscriptions.accounts.guarded``)."""

from __future__ import annotations

from typing import Any

from resolvers.events import Publisher, auth_channel, publish_after_commit

TOKENS_REVOKED = "tokens_revoked"


def tokens_revoked_event(token_ids: list[int]) -> dict[str, Any]:
    return {"type": TOKENS_REVOKED, "tokenIds": token_ids}


async def announce_revoked_tokens(publisher: Publisher, user_id: int, token_ids: list[int]) -> None:
    """Announce that ``token_ids`` of ``user_id`` were revoked; call once the revocation
    is committed. Nothing to announce, nothing published."""
    if token_ids:
        await publish_after_commit(publisher, [auth_channel(user_id)], tokens_revoked_event(token_ids))
