"""The costly-mutation brake (issue 12, item 6): signed-in work counts per user, anonymous
work per client address, refusals reach the operation log, and with Redis every worker
shares one counter."""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from httpx_ws.transport import ASGIWebSocketTransport

from graph.app import create_app
from graph.settings import Settings
from tests.conftest import base_settings, held, running_app
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.chat import SEND, pk
from tests.factories.offers import make_accepted_conversation
from tests.graphql import GraphQLClient

LIMIT = 6
LOG_IN = 'mutation { logIn(input: {email: "nobody@example.org", password: "wrong password"}) { token } }'


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, costly_mutations_per_minute_per_address=LIMIT, messages_per_minute=1_000)


async def _send(gql: GraphQLClient, token: str, conversation_id: str, n: int) -> list[list[str | None]]:
    return [
        (await gql.post(SEND, {"input": {"conversationId": conversation_id, "body": f"hi {i}"}}, token=token)).codes
        for i in range(n)
    ]


async def test_colleagues_behind_one_address_each_get_their_own_allowance(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given: two candidates who signed up from the same address (4 sign-ups charge it)
    alice, bob = await make_candidate(gql), await make_candidate(gql)
    alice_chat = await make_accepted_conversation(alice, await make_employer(gql))
    bob_chat = await make_accepted_conversation(bob, await make_employer(gql))
    # when: each sends the whole allowance, and alice one more
    caplog.set_level(logging.INFO, logger="openforwork.operations")
    alice_codes = await _send(gql, alice.token, alice_chat, LIMIT + 1)
    bob_codes = await _send(gql, bob.token, bob_chat, LIMIT)
    # then: bob is not punished for alice's messages; alice's extra one is refused
    assert alice_codes == [[]] * LIMIT + [["RATE_LIMITED"]]
    assert bob_codes == [[]] * LIMIT
    # and the refusal is in the operation log, with who and which limit
    refusals = [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "openforwork.operations" and '"refused":true' in r.getMessage()
    ]
    assert len(refusals) == 1
    assert refusals[0]["operation"] == "Send"
    assert refusals[0]["viewerId"] == pk(alice.id)
    assert refusals[0]["errorCodes"] == ["RATE_LIMITED"]
    assert refusals[0]["limit"] == "costly-mutations-per-user"


async def test_anonymous_work_is_still_limited_per_address(gql: GraphQLClient) -> None:
    # given: a new user signs up (one anonymous call from this address)
    await make_candidate(gql)
    # when: the address spends the rest of its allowance on sign-ins, then one more
    codes = [(await gql.post(LOG_IN)).codes for _ in range(LIMIT)]
    # then
    assert codes == [[]] * (LIMIT - 1) + [["RATE_LIMITED"]]


async def test_a_token_does_not_lift_the_address_limit_on_sign_in(gql: GraphQLClient) -> None:
    # given: a signed-in user
    user = await make_candidate(gql)
    # when: she sends sign-ins with her token
    codes = [(await gql.post(LOG_IN, token=user.token)).codes for _ in range(LIMIT)]
    # then: they count on the address like anyone's
    assert codes[-1] == ["RATE_LIMITED"]


@contextlib.asynccontextmanager
async def _second_worker(settings: Settings) -> AsyncIterator[GraphQLClient]:
    """Another app instance on the same database (the first one's ORM, see test_chat_redis)."""
    application = create_app(settings)
    try:
        async with ASGIWebSocketTransport(application) as transport:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield GraphQLClient(client)
    finally:
        await application.state.graphql_app.costly_limiter.aclose()


@pytest.mark.redis
async def test_workers_share_the_counter_through_redis(database_url: str, redis_url: str) -> None:
    # given: two app instances on one Redis, a limit of LIMIT per address
    settings = base_settings(
        database_url,
        broadcast_url=redis_url,
        broadcast_channel_prefix=f"test-{uuid.uuid4().hex[:12]}:",
        costly_mutations_per_minute_per_address=LIMIT,
    )
    async with held(running_app(settings)) as (_, http_a), held(_second_worker(settings)) as b:
        a = GraphQLClient(http_a)
        # when: the address spends its allowance on worker a, then tries worker b
        on_a = [(await a.post(LOG_IN)).codes for _ in range(LIMIT)]
        on_b = await b.post(LOG_IN)
    # then
    assert on_a == [[]] * LIMIT
    assert on_b.codes == ["RATE_LIMITED"]
    assert on_b.errors[0]["extensions"]["retryAfterSeconds"] >= 1
