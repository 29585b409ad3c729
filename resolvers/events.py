"""The one way to announce a change: commit, then publish ids on named channels.

Resolvers own their rules *and* the announcement of what those rules changed; the graph
layer never publishes. A resolver that writes rows takes a ``Publisher`` (the broker of
``subscriptions/broker.py`` is one; the resolver layer does not import it), commits its
transaction, and then calls ``publish_after_commit``. Events carry ids only; every
subscriber re-reads the rows and re-checks access when it delivers.

Every channel name of the service is defined here, so the broker's traffic can be read
from one page (the broker adds its own prefix):

=============================  ====================================================
``conversation:<id>``          everything about one conversation (chat)
``inbox:user:<user id>``       every conversation of one candidate (chat)
``inbox:company:<company id>`` every conversation of one company (chat)
``offers:user:<user id>``      every offer made to one candidate (offers)
``offers:company:<company>``   every offer of one company (offers)
``interviews:user:<user id>``  every interview of one candidate (interviews)
``interviews:company:<id>``    every interview of one company (interviews)
``user:<user id>:auth``        revoked tokens of one user (accounts)
``sessions``                   accounts whose tokens or signed-in rights changed: every
                               worker's session cache evicts them (accounts)
``saved_search:<id>``          new matches of one saved search (search)
``pipeline:role:<role id>``    every move of one role's pipeline entries (hiring)
``notifications:user:<id>``    new or counted-up notifications of one person (notifications)
=============================  ====================================================
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

logger = logging.getLogger("openforwork.events")


class Publisher(Protocol):
    """What a resolver needs of the broker: publish an event (a small JSON-able dict of
    ids) on one channel or on several at once."""

    async def publish(self, channel: str, event: dict[str, Any]) -> None: ...

    async def publish_many(self, channels: Iterable[str], event: dict[str, Any]) -> None: ...


def conversation_channel(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


def candidate_inbox_channel(user_id: int) -> str:
    return f"inbox:user:{user_id}"


def company_inbox_channel(company_id: int) -> str:
    return f"inbox:company:{company_id}"


def candidate_offers_channel(user_id: int) -> str:
    return f"offers:user:{user_id}"


def company_offers_channel(company_id: int) -> str:
    return f"offers:company:{company_id}"


def candidate_interviews_channel(user_id: int) -> str:
    return f"interviews:user:{user_id}"


def company_interviews_channel(company_id: int) -> str:
    return f"interviews:company:{company_id}"


def auth_channel(user_id: int) -> str:
    return f"user:{user_id}:auth"


SESSIONS_CHANNEL = "sessions"


def saved_search_channel(saved_search_id: int) -> str:
    return f"saved_search:{saved_search_id}"


def pipeline_channel(role_id: int) -> str:
    return f"pipeline:role:{role_id}"
def notifications_channel(user_id: int) -> str:
    return f"notifications:user:{user_id}"


async def publish_after_commit(publisher: Publisher, channels: Iterable[str], event: dict[str, Any]) -> bool:
    """Publish ``event`` on ``channels``; call only once the rows it announces are
    committed. A broker failure is logged and reported as ``False``, never raised: the
    write stands, and subscribers that missed the event re-read when they resubscribe
    (``after`` for chat) or on the broker's RESYNC marker."""
    channels = tuple(channels)
    try:
        if len(channels) == 1:
            await publisher.publish(channels[0], event)
        else:
            await publisher.publish_many(channels, event)
    except Exception:
        logger.exception("could not publish %s on %s", event.get("type"), ", ".join(channels))
        return False
    return True
