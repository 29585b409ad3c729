"""``offerUpdated``: offer events of the viewer's side, authorised per event.

A candidate listens on their own offer channel, an employer on their company's; both on
their auth channel through ``guarded`` so a revoked token ends the stream. Each event
carries an offer id only: the offer is re-read and the viewer's access re-checked (a
user who left the company, or was deleted, gets nothing more).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.accounts import User
from models.offers import Offer
from resolvers.accounts import Session
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.events import auth_channel, candidate_offers_channel, company_offers_channel
from resolvers.offers import OfferChange, offer_for
from subscriptions.accounts import guarded
from subscriptions.broker import Broker


def viewer_offer_channel(viewer: User) -> str:
    if viewer.is_candidate:
        return candidate_offers_channel(viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return company_offers_channel(viewer.company_id)
    raise Forbidden("Only candidates and employers have offers.")


async def offer_updates(broker: Broker, session: Session) -> AsyncIterator[tuple[OfferChange, Offer]]:
    channel = viewer_offer_channel(session.user)
    async with broker.subscribe(channel, auth_channel(session.user.pk)) as subscription:
        async for event in guarded(session, subscription):
            if event.get("type") != "offer":
                continue  # RESYNC and the like: offer events are not replayed
            viewer = await User.get_or_none(id=session.user.pk, deleted_at=None)
            if viewer is None:
                raise Unauthenticated("Your account no longer exists.")
            offer = await offer_for(broker, viewer, int(event["offerId"]))
            if offer is None:
                continue
            yield OfferChange(event["change"]), offer
