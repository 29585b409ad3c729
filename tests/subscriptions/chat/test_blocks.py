"""A block made mid-conversation ends the company's open streams at once, over real
WebSockets (both protocols), for every member of the company and across workers: a
stream of that one conversation ends with FORBIDDEN, an inbox stream and the offer
stream skip it, and nothing the candidate writes afterwards reaches the company. The
candidate's own streams carry on."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest

from tests.conftest import held, running_app
from tests.factories.accounts import make_employer
from tests.factories.chat import send, start_chat
from tests.factories.offers import REVISE_OFFER, extend
from tests.graph.profiles.test_blocks import BLOCK
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, WebSocketClient, subscribed
from tests.subscriptions.chat.test_chat import CONVERSATION_UPDATED, MESSAGE_ADDED, receive_end
from tests.subscriptions.chat.test_chat_redis import _settings, second_worker

PROTOCOLS = [TRANSPORT_WS, LEGACY_WS]
OFFER_UPDATED = "subscription { offerUpdated { change offer { id status } } }"


async def ended(ws: WebSocketClient) -> dict:
    """The error that ended a subscription, and the ``complete`` that may follow it."""
    error = await receive_end(ws)
    with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
        follow = await ws.receive(timeout=0.5)
        assert follow["type"] == "complete", follow
    return error


def body(payload: dict) -> str:
    assert "errors" not in payload, payload
    return str(payload["data"]["messageAdded"]["body"])


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_block_ends_every_member_s_streams_at_once(gql: GraphQLClient, app: object, protocol: str) -> None:
    # given: an accepted conversation with an offer; two members of the company and the
    # candidate are subscribed
    chat = await start_chat(gql, accept=True)
    colleague = await make_employer(gql, invitation_code=chat.employer.invitation_code)
    offer = await extend(gql, chat.employer, chat.conversation_id)
    async with (
        gql.websocket(token=chat.employer.token, protocol=protocol) as employer_ws,
        gql.websocket(token=colleague.token, protocol=protocol) as colleague_ws,
        gql.websocket(token=chat.candidate.token, protocol=protocol) as candidate_ws,
    ):
        await subscribed(app, employer_ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        await subscribed(app, employer_ws, OFFER_UPDATED)
        await subscribed(app, colleague_ws, MESSAGE_ADDED)  # the inbox
        await subscribed(app, colleague_ws, CONVERSATION_UPDATED, {"conversationId": chat.conversation_id})
        mine = await subscribed(app, candidate_ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        # when: the candidate blocks the company, with no further message
        await gql.mutate(BLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
        # then: the streams of that one conversation end right away, for each member
        for ws in (employer_ws, colleague_ws):
            assert (await ended(ws))["extensions"]["code"] == "FORBIDDEN"
        # and what she writes next reaches only her own stream
        await send(gql, chat.candidate, chat.conversation_id, "after the block")
        assert body(await candidate_ws.next(mine)) == "after the block"
        await colleague_ws.expect_silence()
        # and the company's offer changes are refused, so nothing reaches her either
        revise = await gql.mutate(
            REVISE_OFFER, {"offerId": offer["id"], "terms": {"title": "Please?"}}, token=chat.employer.token, ok=False
        )
        assert [e["code"] for e in revise["userErrors"]] == ["NOT_FOUND"]
        await employer_ws.expect_silence()
        await candidate_ws.expect_silence()


async def test_an_inbox_stream_skips_the_blocked_conversation_and_keeps_the_others(
    gql: GraphQLClient, app: object
) -> None:
    # given: the company talks with two candidates; a member listens on the inbox
    blocker = await start_chat(gql, accept=True)
    other = await start_chat(gql, blocker.employer, accept=True)
    async with gql.websocket(token=blocker.employer.token) as ws:
        inbox = await subscribed(app, ws, MESSAGE_ADDED)
        await gql.mutate(BLOCK, {"companyId": blocker.employer.company_id}, token=blocker.candidate.token)
        # when
        await send(gql, blocker.candidate, blocker.conversation_id, "not for you")
        await send(gql, other.candidate, other.conversation_id, "for you")
        # then
        assert body(await ws.next(inbox)) == "for you"
        await ws.expect_silence()


async def test_a_block_through_one_worker_ends_the_stream_on_another(database_url: str, redis_url: str) -> None:
    # given: two app instances on one database and one Redis; the employer listens on B
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    async with held(running_app(_settings(database_url, redis_url, prefix))) as (_, http_a), held(
        second_worker(_settings(database_url, redis_url, prefix))
    ) as (_, http_b):
        a, b = GraphQLClient(http_a), GraphQLClient(http_b)
        chat = await start_chat(a, accept=True)
        seen = await send(a, chat.candidate, chat.conversation_id, "seen")
        async with b.websocket(token=chat.employer.token) as on_b:
            # resuming after a seen message: no race between subscribing and sending
            op = await on_b.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id, "after": seen["id"]})
            await send(a, chat.candidate, chat.conversation_id, "before")
            assert body(await on_b.next(op, timeout=10)) == "before"  # B's subscription is live
            # when: the block goes through worker A
            await a.mutate(BLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
            # then: B's stream ends without waiting for another message
            assert (await ended(on_b))["extensions"]["code"] == "FORBIDDEN"
