"""Offers: a company's versioned terms to a candidate, inside an accepted conversation.

Lifecycle (DESIGN §5)::

    SENT ──accept──▶ ACCEPTED        (candidate, naming the current version)
      │ ──decline──▶ DECLINED        (candidate, optional reason)
      │ ──counter──▶ COUNTERED       (candidate, new version with changed terms)
      │ ──withdraw─▶ WITHDRAWN       (company)
      │ ──(expiresAt passes)──▶ EXPIRED
    COUNTERED ──revise──▶ SENT       (company, new version)
              ──withdraw─▶ WITHDRAWN
    SENT, COUNTERED ──(the candidate deletes their account)──▶ CLOSED
    SENT ──revise──▶ SENT            (company changes terms: new version)

Only a ``SENT`` offer expires: ``expiresAt`` is the candidate's deadline to answer; while
the candidate's counter is pending the company holds the ball. Expiry is checked at
every read (a due offer is persisted as ``EXPIRED`` then) and at every transition (the
conditional update itself refuses a due offer).

**Each transition happens once.** It is one conditional update inside a transaction::

    UPDATE offer SET status = …, current_version = … WHERE id = ? AND status = ? AND current_version = ?

and only the request whose update touched the row goes on (new version, system message,
hire side effects, all in the same transaction); a concurrent loser gets a ``userError``
(INVALID_TRANSITION, STALE_VERSION or OFFER_EXPIRED) and changes nothing.

Every transition posts a system message in the conversation through chat's
``append_message`` primitive, and an ``offer`` event (ids only) on the candidate's and the
company's offer channels — both published after commit.

Modules: ``access`` (who is party), ``queries`` (``offer_for``, ``offers_page``, an
offer's fields), ``commands`` (``extend_offer``, ``transition``, ``close_open_offers_of``),
``events`` (``OfferChange``, what is published after commit), ``expiry`` (SENT past
``expiresAt`` becomes EXPIRED), ``terms`` (validation, changed fields), ``loaders``.
"""

from resolvers.events import candidate_offers_channel, company_offers_channel
from resolvers.offers.access import party_to_offer, side_of_offer, visible_offers
from resolvers.offers.commands import Action, close_open_offers_of, extend_offer, transition
from resolvers.offers.events import OfferChange, publish_offer_events
from resolvers.offers.expiry import expire_due
from resolvers.offers.queries import (
    candidate_of,
    company_of,
    conversation_of,
    current_version_of,
    offer_for,
    offers_for,
    offers_page,
    versions_of,
)
from resolvers.offers.terms import OfferTerm, Terms, check_terms

__all__ = [
    "Action",
    "OfferChange",
    "OfferTerm",
    "Terms",
    "candidate_of",
    "candidate_offers_channel",
    "check_terms",
    "close_open_offers_of",
    "company_of",
    "company_offers_channel",
    "conversation_of",
    "current_version_of",
    "expire_due",
    "extend_offer",
    "offer_for",
    "offers_for",
    "offers_page",
    "party_to_offer",
    "publish_offer_events",
    "side_of_offer",
    "transition",
    "versions_of",
    "visible_offers",
]
