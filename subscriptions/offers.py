"""``offerUpdated``: offer events of the viewer's side, authorised per event.

The stream and its per-event checks are ``subscriptions.parties.party_stream``: a
candidate hears their own offer channel, an employer their company's; a revoked token
ends the stream; each event's offer is re-read and the viewer's access re-checked (a
user who left the company, a company the candidate blocked since, a deleted account get
nothing more).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.offers import Offer
from resolvers.accounts import Session
from resolvers.events import candidate_offers_channel, company_offers_channel
from resolvers.offers import OfferChange, offer_for
from subscriptions.broker import Broker
from subscriptions.parties import PartyEvents, party_stream

OFFER_EVENTS = PartyEvents(
    what="offers", event_type="offer", id_key="offerId", change=OfferChange,
    candidate_channel=candidate_offers_channel, company_channel=company_offers_channel,
)


def offer_updates(broker: Broker, session: Session) -> AsyncIterator[tuple[OfferChange, Offer]]:
    return party_stream(broker, session, OFFER_EVENTS, lambda viewer, pk: offer_for(broker, viewer, pk))
