"""extendOffer is rate limited per company (OFFERS_PER_HOUR)."""

from __future__ import annotations

import pytest

from graph.settings import Settings
from models.offers import Offer
from tests.conftest import base_settings
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.offers import EXTEND_OFFER, extend, make_accepted_conversation, terms
from tests.graphql import GraphQLClient

LIMIT = 2


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, offers_per_hour=LIMIT)


async def test_extend_offer_is_rate_limited_per_company(gql: GraphQLClient) -> None:
    # given: the company used its hourly allowance, across two conversations and two members
    employer = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    first = await make_accepted_conversation(await make_candidate(gql), employer)
    second_candidate = await make_candidate(gql)
    second = await make_accepted_conversation(second_candidate, employer)
    await extend(gql, employer, first)
    await extend(gql, colleague, second)
    # when
    refused = await gql.post(EXTEND_OFFER, {"input": {"conversationId": first, "terms": terms()}}, token=colleague.token)
    other_company = await make_employer(gql)
    allowed = await extend(gql, other_company, await make_accepted_conversation(second_candidate, other_company))
    # then
    assert refused.codes == ["RATE_LIMITED"]
    assert refused.errors[0]["extensions"]["retryAfterSeconds"] == 3600
    assert allowed["status"] == "SENT"
    assert await Offer.all().count() == LIMIT + 1


def test_offers_per_hour_comes_from_the_environment() -> None:
    assert Settings.from_env({"OFFERS_PER_HOUR": "5"}).offers_per_hour == 5
    assert Settings.from_env({}).offers_per_hour == 20
