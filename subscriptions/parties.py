"""The stream both parties of a company–candidate row hear (``offerUpdated``,
``interviewUpdated``): one shape, so one implementation of its per-event checks.

A candidate listens on her own channel of the feature, an employer on their company's;
both on their auth channel through ``guarded``, so a revoked or expired token ends the
stream. Events carry a row id only. Per event the viewer is read again (a deleted
account ends the stream with UNAUTHENTICATED), then the row is re-read and the viewer's
access re-checked by the feature's ``load`` (a user who left the company, a company the
candidate blocked since: the event is skipped). Missed events are not replayed: clients
re-read the list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from models.accounts import User
from resolvers.accounts import Session
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.events import auth_channel
from subscriptions.accounts import guarded
from subscriptions.broker import Broker

C = TypeVar("C")
R = TypeVar("R")


@dataclass(frozen=True)
class PartyEvents(Generic[C]):
    """How one feature announces changes to both parties (``resolvers.<feature>.events``)."""

    what: str  # the rows' plural name, for the refusal: "offers"
    event_type: str  # the event's "type": "offer"
    id_key: str  # the event's key holding the row id: "offerId"
    change: Callable[[str], C]  # the event's "change" as the feature's enum
    candidate_channel: Callable[[int], str]  # by user id
    company_channel: Callable[[int], str]  # by company id

    def channel_of(self, viewer: User) -> str:
        """The viewer's side's channel; FORBIDDEN for anyone who is on neither side."""
        if viewer.is_candidate:
            return self.candidate_channel(viewer.pk)
        if viewer.is_employer and viewer.company_id is not None:
            return self.company_channel(viewer.company_id)
        raise Forbidden(f"Only candidates and employers have {self.what}.")


async def party_stream(
    broker: Broker,
    session: Session,
    events: PartyEvents[C],
    load: Callable[[User, int], Awaitable[R | None]],
) -> AsyncIterator[tuple[C, R]]:
    """(change, row) per event of the viewer's side; ``load(viewer, id)`` re-reads the row
    for the viewer read afresh, ``None`` when they may not see it (the event is skipped)."""
    channel = events.channel_of(session.user)
    async with broker.subscribe(channel, auth_channel(session.user.pk)) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != events.event_type:
                continue  # RESYNC and the like: these events are not replayed
            viewer = await User.get_or_none(id=session.user.pk, deleted_at=None)
            if viewer is None:
                raise Unauthenticated("Your account no longer exists.")
            row = await load(viewer, int(event[events.id_key]))
            if row is None:
                continue
            yield events.change(event["change"]), row
