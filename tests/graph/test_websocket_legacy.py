"""Legacy graphql-ws (subscriptions-transport-ws): queries and mutations run over it, and
a broken frame is always answered (an ``error`` message or a close code), never silence."""

from __future__ import annotations

import pytest
from httpx_ws import WebSocketDisconnect

from models.chat import Message
from tests.factories.chat import pk, start_chat
from tests.graphql import LEGACY_WS, GraphQLClient

SIGN_UP = """
mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }
"""
VIEWER = "query Me { viewer { id email displayName } }"
SEND = """
mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id body } userErrors { code } } }
"""


async def test_a_new_user_runs_queries_and_mutations_over_graphql_ws(gql: GraphQLClient) -> None:
    # given: a bare sign-up, then a legacy socket
    token = (await gql.execute(SIGN_UP, {"input": {
        "email": "legacy@example.org", "password": "correct horse battery",
        "displayName": "Legacy Client", "role": "CANDIDATE",
    }}))["signUp"]["token"]
    async with gql.websocket(token=token, protocol=LEGACY_WS) as ws:
        # when
        op = await ws.subscribe(VIEWER)
        # then: one data message, then complete
        assert (await ws.next(op))["data"]["viewer"]["email"] == "legacy@example.org"
        assert await ws.receive() == {"type": "complete", "id": op}
        # and a mutation
        renamed = await ws.subscribe(
            "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { code } } }",
            {"input": {"headline": "Over graphql-ws"}},
        )
        assert (await ws.next(renamed))["data"]["updateMyProfile"]["userErrors"] == []


async def test_send_message_over_graphql_ws_is_stored(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token, protocol=LEGACY_WS) as ws:
        op = await ws.subscribe(SEND, {"input": {"conversationId": chat.conversation_id, "body": "via legacy"}})
        payload = await ws.next(op)
    assert payload["data"]["sendMessage"]["message"]["body"] == "via legacy"
    assert await Message.filter(conversation_id=pk(chat.conversation_id), body="via legacy").count() == 1


async def test_invalid_documents_over_graphql_ws_get_an_error_message(gql: GraphQLClient) -> None:
    async with gql.websocket(protocol=LEGACY_WS) as ws:
        op = await ws.subscribe("{ nope }")
        answer = await ws.receive()
    assert answer["type"] == "error" and answer["id"] == op
    assert "nope" in answer["payload"]["message"]


@pytest.mark.parametrize(
    "frame",
    ['{"type": "bogus", "id": "1"}', '{"no": "type"}', '{"type": "start", "id": "1"}',
     '{"type": "start", "id": "1", "payload": {"query": 42}}', '{"type": "start", "payload": {"query": "{ viewer { id } }"}}'],
)
async def test_malformed_frames_get_an_error_and_the_socket_keeps_serving(gql: GraphQLClient, frame: str) -> None:
    async with gql.websocket(protocol=LEGACY_WS) as ws:
        # when
        await ws.ws.send_text(frame)
        # then: an error message, not silence
        answer = await ws.receive(timeout=2)
        assert answer["type"] == "error", answer
        assert answer["payload"]["message"]
        # and the socket still works
        op = await ws.subscribe("{ viewer { id } }")
        assert (await ws.next(op))["data"] == {"viewer": None}


async def test_a_frame_that_is_not_json_gets_an_error_then_a_close(gql: GraphQLClient) -> None:
    async with gql.websocket(protocol=LEGACY_WS) as ws:
        await ws.ws.send_text("not json")
        answer = await ws.receive(timeout=2)
        assert answer["type"] == "error" and "JSON" in answer["payload"]["message"]
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code == 4400
    assert (await gql.execute("{ viewer { id } }")) == {"viewer": None}
