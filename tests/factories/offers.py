"""Factories and operations for offer tests.

``make_accepted_conversation`` writes the conversation row directly (a "given" step):
chat's own API is tested on its branch; ``tests/graph/test_hiring_story.py`` goes
through it end to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from models.chat import Conversation, ConversationStatus
from models.profiles import OpenToWork, Profile, SalaryPeriod, Visibility
from resolvers.ids import parse_global_id, to_global_id
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.graphql import GraphQLClient

OFFER_FIELDS = """
fragment OfferFields on Offer {
  id status versionNumber expiresAt declineReason candidateHiredElsewhere viewerSide conversation { id }
  company { id name }
  candidate { id displayName }
  currentVersion {
    number authorSide title description salary { amount currency period } equity location
    remotePreference startDate expiresAt changedFields
  }
  versions { number authorSide title salary { amount currency period } changedFields }
}
"""

EXTEND_OFFER = OFFER_FIELDS + """
mutation Extend($input: ExtendOfferInput!) {
  extendOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
ACCEPT_OFFER = OFFER_FIELDS + """
mutation Accept($input: AcceptOfferInput!) {
  acceptOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
DECLINE_OFFER = OFFER_FIELDS + """
mutation Decline($input: DeclineOfferInput!) {
  declineOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
COUNTER_OFFER = OFFER_FIELDS + """
mutation Counter($input: CounterOfferInput!) {
  counterOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
REVISE_OFFER = OFFER_FIELDS + """
mutation Revise($input: ReviseOfferInput!) {
  reviseOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
WITHDRAW_OFFER = OFFER_FIELDS + """
mutation Withdraw($input: WithdrawOfferInput!) {
  withdrawOffer(input: $input) { offer { ...OfferFields } userErrors { code field message } }
}
"""
OFFER = OFFER_FIELDS + "query Offer($id: ID!) { offer(id: $id) { ...OfferFields } }"
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Offer { status } } }"
OFFERS = """
query Offers($status: OfferStatus, $first: Int, $after: String) {
  offers(status: $status, first: $first, after: $after) {
    totalCount
    edges { cursor node { id status currentVersion { title } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def pk(global_id: str) -> int:
    return parse_global_id(global_id)[1]


def in_days(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


def terms(**overrides: Any) -> dict[str, Any]:
    """Valid offer terms (OfferTermsInput), with ``overrides``."""
    values: dict[str, Any] = {
        "title": "Senior Backend Engineer",
        "description": "Build the API.",
        "salary": {"amount": 90_000, "currency": "EUR", "period": "YEAR"},
        "equity": "0.1% over 4 years",
        "location": "Berlin",
        "remotePreference": "HYBRID",
        "startDate": (datetime.now(timezone.utc).date() + timedelta(days=30)).isoformat(),
        "expiresAt": in_days(7),
    }
    values.update(overrides)
    return values


async def make_accepted_conversation(
    candidate: Actor, employer: Actor, *, visibility: Visibility = Visibility.EMPLOYERS
) -> str:
    """An ACCEPTED conversation between the employer's company and the candidate (ORM);
    the candidate's profile is made visible to employers and actively looking."""
    candidate_pk = pk(candidate.id)
    assert employer.company_id is not None
    await Profile.filter(user_id=candidate_pk).update(visibility=visibility, open_to_work=OpenToWork.ACTIVELY_LOOKING)
    conversation = await Conversation.create(
        company_id=pk(employer.company_id),
        candidate_id=candidate_pk,
        started_by_id=pk(employer.id),
        status=ConversationStatus.ACCEPTED,
        role_title="Backend Engineer",
        salary_min=80_000,
        salary_max=100_000,
        salary_currency="EUR",
        salary_period=SalaryPeriod.YEAR,
    )
    return to_global_id("Conversation", conversation.pk)


async def extend(gql: GraphQLClient, employer: Actor, conversation_id: str, **overrides: Any) -> dict[str, Any]:
    payload = await gql.mutate(
        EXTEND_OFFER, {"conversationId": conversation_id, "terms": terms(**overrides)}, token=employer.token
    )
    return payload["offer"]


@dataclass
class OfferScene:
    candidate: Actor
    employer: Actor
    conversation_id: str
    offer: dict[str, Any]

    @property
    def offer_id(self) -> str:
        return str(self.offer["id"])


async def make_offer_scene(gql: GraphQLClient, **overrides: Any) -> OfferScene:
    """A candidate, an employer, their accepted conversation and a SENT offer (version 1)."""
    candidate = await make_candidate(gql)
    employer = await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    offer = await extend(gql, employer, conversation_id, **overrides)
    return OfferScene(candidate, employer, conversation_id, offer)
