"""Every quota holds under parallel requests (issue 12, item 5).

Each test fires more real requests than the quota allows at once (``asyncio.gather``
through the ASGI app, so they interleave at every database round trip; on PostgreSQL
they run on separate pool connections, as two workers would) and counts the rows that
were written.
"""

from __future__ import annotations

import asyncio

import pytest

from graph.settings import Settings
from models.accounts import LoginAttempt
from models.chat import Conversation, Message
from models.offers import Offer
from tests.conftest import base_settings
from tests.factories.accounts import PASSWORD, make_candidate, make_employer
from tests.factories.chat import SEND, START, make_reachable_candidate, pk, start_input
from tests.factories.offers import EXTEND_OFFER, make_accepted_conversation, terms
from tests.graphql import GraphQLClient

LIMIT = 4
PARALLEL = 12

LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { token userErrors { code message } }
}
"""


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(
        database_url,
        offers_per_hour=LIMIT,
        messages_per_minute=LIMIT,
        contact_requests_per_week=LIMIT,
        login_attempts_per_window=LIMIT,
    )


async def test_parallel_extend_offer_stays_within_the_hourly_quota(gql: GraphQLClient) -> None:
    # given: one company in an accepted conversation
    employer = await make_employer(gql)
    conversation_id = await make_accepted_conversation(await make_candidate(gql), employer)
    # when: three times the quota at once
    results = await asyncio.gather(
        *(
            gql.post(EXTEND_OFFER, {"input": {"conversationId": conversation_id, "terms": terms()}}, token=employer.token)
            for _ in range(PARALLEL)
        )
    )
    # then
    assert await Offer.filter(company_id=pk(employer.company_id or "")).count() == LIMIT
    assert sum(r.codes == ["RATE_LIMITED"] for r in results) == PARALLEL - LIMIT


async def test_parallel_messages_in_two_conversations_stay_within_the_minute_quota(gql: GraphQLClient) -> None:
    # given: a candidate in two accepted conversations (two conversation rows: no shared lock)
    candidate = await make_candidate(gql)
    first = await make_accepted_conversation(candidate, await make_employer(gql))
    second = await make_accepted_conversation(candidate, await make_employer(gql))
    # when
    results = await asyncio.gather(
        *(
            gql.post(SEND, {"input": {"conversationId": (first, second)[i % 2], "body": f"hello {i}"}}, token=candidate.token)
            for i in range(PARALLEL)
        )
    )
    # then
    assert await Message.filter(sender_id=pk(candidate.id)).count() == LIMIT
    assert sum(r.codes == ["RATE_LIMITED"] for r in results) == PARALLEL - LIMIT


async def test_parallel_contact_requests_stay_within_the_weekly_quota(gql: GraphQLClient) -> None:
    # given: one employer and more reachable candidates than the quota
    employer = await make_employer(gql)
    candidates = [await make_reachable_candidate(gql) for _ in range(PARALLEL)]
    # when
    results = await asyncio.gather(
        *(gql.post(START, {"input": start_input(candidate)}, token=employer.token) for candidate in candidates)
    )
    # then
    assert await Conversation.filter(company_id=pk(employer.company_id or "")).count() == LIMIT
    codes = [[e["code"] for e in r.data["startConversation"]["userErrors"]] for r in results if r.data]
    assert codes.count(["CONTACT_QUOTA_EXCEEDED"]) == PARALLEL - LIMIT


async def test_parallel_wrong_passwords_get_at_most_the_allowed_guesses(gql: GraphQLClient) -> None:
    # given: a real account
    victim = await make_candidate(gql)
    # when: many guesses at once
    results = await asyncio.gather(
        *(
            gql.post(LOG_IN, {"input": {"email": victim.email, "password": f"guess number {i}"}})
            for i in range(PARALLEL)
        )
    )
    # then: exactly LIMIT guesses were checked; the rest were refused before the check
    checked = [r for r in results if r.data and r.data["logIn"]["userErrors"]]
    assert len(checked) == LIMIT
    assert sum(r.codes == ["RATE_LIMITED"] for r in results) == PARALLEL - LIMIT
    assert await LoginAttempt.filter(email=victim.email).count() == LIMIT
    # and the right password is refused too while the window lasts
    late = await gql.post(LOG_IN, {"input": {"email": victim.email, "password": PASSWORD}})
    assert late.codes == ["RATE_LIMITED"]
