"""Offers in GraphQL: ``types`` (Offer, OfferVersion, OfferSalary, OfferUpdate, the enums,
``node(id:)`` for offers), ``inputs`` (the inputs and the offer mutations' payloads) and
``operations`` (OffersQuery, OffersMutation, OffersSubscription). Rules live in
``resolvers.offers``."""

from graph.types.offers.inputs import (
    AcceptOfferInput,
    AcceptOfferPayload,
    CounterOfferInput,
    CounterOfferPayload,
    DeclineOfferInput,
    DeclineOfferPayload,
    ExtendOfferInput,
    ExtendOfferPayload,
    OfferPayload,
    OfferSalaryInput,
    OfferTermsChangeInput,
    OfferTermsInput,
    ReviseOfferInput,
    ReviseOfferPayload,
    WithdrawOfferInput,
    WithdrawOfferPayload,
)
from graph.types.offers.operations import OffersMutation, OffersQuery, OffersSubscription
from graph.types.offers.types import (
    Offer,
    OfferChange,
    OfferSalary,
    OfferSide,
    OfferStatus,
    OfferTerm,
    OfferUpdate,
    OfferVersion,
)

__all__ = [
    "AcceptOfferInput",
    "AcceptOfferPayload",
    "CounterOfferInput",
    "CounterOfferPayload",
    "DeclineOfferInput",
    "DeclineOfferPayload",
    "ExtendOfferInput",
    "ExtendOfferPayload",
    "Offer",
    "OfferChange",
    "OfferPayload",
    "OfferSalary",
    "OfferSalaryInput",
    "OfferSide",
    "OfferStatus",
    "OfferTerm",
    "OfferTermsChangeInput",
    "OfferTermsInput",
    "OfferUpdate",
    "OfferVersion",
    "OffersMutation",
    "OffersQuery",
    "OffersSubscription",
    "ReviseOfferInput",
    "ReviseOfferPayload",
    "WithdrawOfferInput",
    "WithdrawOfferPayload",
]
