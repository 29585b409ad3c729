"""``offerUpdated`` over graphql-transport-ws and legacy graphql-ws: both parties hear
every change, nobody else hears anything, authorization is checked per event."""

from __future__ import annotations

import pytest

from tests.factories.accounts import make_candidate, make_employer
from tests.factories.offers import (
    ACCEPT_OFFER,
    COUNTER_OFFER,
    extend,
    make_accepted_conversation,
    make_offer_scene,
)
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, WebSocketClient, subscribed

OFFER_UPDATED = """
subscription {
  offerUpdated {
    change
    offer { id status versionNumber candidateHiredElsewhere viewerSide currentVersion { title authorSide } }
  }
}
"""
LOG_OUT = "mutation { logOut { revokedTokens userErrors { code } } }"

PROTOCOLS = [TRANSPORT_WS, LEGACY_WS]


async def next_update(ws: WebSocketClient, op: str) -> dict:
    payload = await ws.next(op)
    assert "errors" not in payload, payload
    return payload["data"]["offerUpdated"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_both_parties_hear_every_change_and_nobody_else(gql: GraphQLClient, app: object, protocol: str) -> None:
    # given
    candidate, employer, stranger = await make_candidate(gql), await make_employer(gql), await make_employer(gql)
    conversation_id = await make_accepted_conversation(candidate, employer)
    async with (
        gql.websocket(token=candidate.token, protocol=protocol) as candidate_ws,
        gql.websocket(token=employer.token, protocol=protocol) as employer_ws,
        gql.websocket(token=stranger.token, protocol=protocol) as stranger_ws,
    ):
        candidate_op = await subscribed(app, candidate_ws, OFFER_UPDATED, live=1)
        employer_op = await subscribed(app, employer_ws, OFFER_UPDATED, live=2)
        await subscribed(app, stranger_ws, OFFER_UPDATED, live=3)
        # when: extended, countered, accepted
        offer = await extend(gql, employer, conversation_id)
        # then
        for ws, op, side in ((candidate_ws, candidate_op, "CANDIDATE"), (employer_ws, employer_op, "COMPANY")):
            update = await next_update(ws, op)
            assert update["change"] == "EXTENDED"
            assert update["offer"]["id"] == offer["id"] and update["offer"]["status"] == "SENT"
            assert update["offer"]["viewerSide"] == side
        await gql.mutate(COUNTER_OFFER, {"offerId": offer["id"], "terms": {"equity": "2%"}}, token=candidate.token)
        for ws, op in ((candidate_ws, candidate_op), (employer_ws, employer_op)):
            update = await next_update(ws, op)
            assert update["change"] == "COUNTERED"
            assert update["offer"]["versionNumber"] == 2
            assert update["offer"]["currentVersion"]["authorSide"] == "CANDIDATE"
        await gql.mutate(
            "mutation R($input: ReviseOfferInput!) { reviseOffer(input: $input) { userErrors { code } } }",
            {"offerId": offer["id"], "terms": {"equity": "1%"}},
            token=employer.token,
        )
        for ws, op in ((candidate_ws, candidate_op), (employer_ws, employer_op)):
            update = await next_update(ws, op)
            assert (update["change"], update["offer"]["status"], update["offer"]["versionNumber"]) == ("REVISED", "SENT", 3)
        await gql.mutate(ACCEPT_OFFER, {"offerId": offer["id"], "versionNumber": 3}, token=candidate.token)
        for ws, op in ((candidate_ws, candidate_op), (employer_ws, employer_op)):
            update = await next_update(ws, op)
            assert (update["change"], update["offer"]["status"]) == ("ACCEPTED", "ACCEPTED")
        await stranger_ws.expect_silence()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_the_other_company_hears_the_candidate_was_hired_elsewhere(
    gql: GraphQLClient, app: object, protocol: str
) -> None:
    # given: the candidate holds offers from two companies; the rival listens
    scene = await make_offer_scene(gql)
    rival = await make_employer(gql)
    rival_offer = await extend(gql, rival, await make_accepted_conversation(scene.candidate, rival))
    async with gql.websocket(token=rival.token, protocol=protocol) as rival_ws:
        op = await subscribed(app, rival_ws, OFFER_UPDATED, live=1)
        # when
        await gql.mutate(ACCEPT_OFFER, {"offerId": scene.offer_id, "versionNumber": 1}, token=scene.candidate.token)
        # then
        update = await next_update(rival_ws, op)
        assert update["change"] == "CANDIDATE_HIRED_ELSEWHERE"
        assert update["offer"]["id"] == rival_offer["id"]
        assert update["offer"]["status"] == "SENT" and update["offer"]["candidateHiredElsewhere"] is True
        await rival_ws.expect_silence()


async def test_offer_updated_needs_a_signed_in_viewer(gql: GraphQLClient) -> None:
    async with gql.websocket() as ws:
        op = await ws.subscribe(OFFER_UPDATED)
        message = await ws.receive()
        assert message["id"] == op
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_logging_out_ends_the_subscription(gql: GraphQLClient, app: object, protocol: str) -> None:
    # given
    scene = await make_offer_scene(gql)
    async with gql.websocket(token=scene.employer.token, protocol=protocol) as ws:
        op = await subscribed(app, ws, OFFER_UPDATED, live=1)
        # when
        await gql.execute(LOG_OUT, token=scene.employer.token)
        # then
        message = await ws.receive()
        assert message["id"] == op
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
