"""notificationAdded: each notification reaches its person live, after commit, re-read
(a grouped one with its count now), and nobody else's."""

from __future__ import annotations

import pytest

from tests.factories.accounts import make_candidate, make_employer
from tests.factories.notifications import publish_profile
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, subscribed

pytestmark = pytest.mark.usefixtures("backend")

ADDED = "subscription { notificationAdded { id kind count subject { __typename id } } }"
START = "mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } userErrors { code message } } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { userErrors { code message } } }"


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_notifications_are_pushed_to_their_person_only(gql: GraphQLClient, app, protocol: str) -> None:
    # given: a candidate and a bystander listening
    cand = await make_candidate(gql)
    await publish_profile(gql, cand, headline="Engineer")
    bystander = await make_candidate(gql)
    boss = await make_employer(gql)
    async with gql.websocket(token=cand.token, protocol=protocol) as ws, gql.websocket(token=bystander.token, protocol=protocol) as other:
        op = await subscribed(app, ws, ADDED)
        await subscribed(app, other, ADDED)
        # when: a company asks to talk and the candidate's reply starts the chat; the company writes twice
        conversation = (await gql.mutate(START, {
            "candidateId": cand.id, "roleTitle": "Engineer",
            "salaryRange": {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}, "message": "Hello!",
        }, token=boss.token))["conversation"]["id"]
        # then
        first = (await ws.next(op))["data"]["notificationAdded"]
        assert (first["kind"], first["subject"]) == ("CONTACT_REQUEST_RECEIVED", {"__typename": "Conversation", "id": conversation})
        await gql.mutate(SEND, {"conversationId": conversation, "body": "Hi"}, token=cand.token)
        for expected in (1, 2):
            await gql.mutate(SEND, {"conversationId": conversation, "body": f"m{expected}"}, token=boss.token)
            pushed = (await ws.next(op))["data"]["notificationAdded"]
            assert (pushed["kind"], pushed["count"]) == ("NEW_MESSAGE", expected)
        await other.expect_silence(0.3)


async def test_anonymous_callers_cannot_subscribe(gql: GraphQLClient) -> None:
    async with gql.websocket() as ws:
        op = await ws.subscribe(ADDED)
        message = await ws.receive(timeout=5)
        assert message["id"] == op
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
