"""Sessions on open WebSockets (both protocols): a revoked token stops working for new
operations at once, and one account cannot hold unlimited sockets."""

from __future__ import annotations

import asyncio

import pytest
from httpx_ws import WebSocketDisconnect

from graph.settings import Settings
from models.chat import Message
from tests.conftest import held, running_app
from tests.factories.chat import pk, start_chat
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, WebSocketClient

PROTOCOLS = [TRANSPORT_WS, LEGACY_WS]

SIGN_UP = """
mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token viewer { id } userErrors { code } } }
"""
VIEWER = "query { viewer { id email } }"
LOG_OUT = "mutation { logOut { revokedTokens } }"
DELETE = "mutation { deleteMyAccount(input: {confirm: true}) { userErrors { code } } }"
SEND = """
mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id } userErrors { code } } }
"""


async def run(ws: WebSocketClient, query: str, variables: dict | None = None) -> dict:
    """One operation over the socket: its result payload."""
    op = await ws.subscribe(query, variables)
    return await ws.next(op)


async def refused(ws: WebSocketClient) -> dict:
    """The error answering the last operation, then the server closes the socket (4403)."""
    message = await ws.receive()
    while message["type"] == "complete":  # the end of an earlier operation
        message = await ws.receive()
    assert message["type"] == "error", message
    payload = message["payload"]
    error = payload[0] if isinstance(payload, list) else payload
    with pytest.raises(WebSocketDisconnect) as closed:
        await ws.receive()
    assert closed.value.code == 4403
    return error


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_after_log_out_the_open_socket_runs_nothing_as_that_user(gql: GraphQLClient, protocol: str) -> None:
    # given: a new user, straight from signUp, with a socket open
    signed_up = (await gql.execute(SIGN_UP, {"input": {
        "email": f"new.{protocol}@example.org", "password": "correct horse battery",
        "displayName": "New Person", "role": "CANDIDATE",
    }}))["signUp"]
    token = signed_up["token"]
    async with gql.websocket(token=token, protocol=protocol) as ws:
        assert (await run(ws, VIEWER))["data"]["viewer"]["email"] == f"new.{protocol}@example.org"
        # when: she signs out over HTTP
        await gql.execute(LOG_OUT, token=token)
        await ws.subscribe(VIEWER)
        # then
        error = await refused(ws)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "revoked" in error["message"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_after_deleting_the_account_the_open_socket_cannot_send_messages(
    gql: GraphQLClient, protocol: str
) -> None:
    # given: an accepted conversation and the candidate's socket
    chat = await start_chat(gql, accept=True)
    before = await Message.filter(conversation_id=pk(chat.conversation_id)).count()
    async with gql.websocket(token=chat.candidate.token, protocol=protocol) as ws:
        # when: the account is deleted (another device), then the socket sends a message
        await gql.execute(DELETE, token=chat.candidate.token)
        await ws.subscribe(SEND, {"input": {"conversationId": chat.conversation_id, "body": "still me?"}})
        # then
        error = await refused(ws)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Message.filter(conversation_id=pk(chat.conversation_id), body="still me?").count() == 0
    assert await Message.filter(conversation_id=pk(chat.conversation_id)).count() >= before


async def test_an_employer_socket_cannot_search_after_log_out(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    search = "query { searchCandidates(first: 5) { totalCount } }"
    async with gql.websocket(token=chat.employer.token) as ws:
        assert "errors" not in await run(ws, search)
        await gql.execute(LOG_OUT, token=chat.employer.token)
        await ws.subscribe(search)
        assert (await refused(ws))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_other_sessions_of_the_same_user_keep_working(gql: GraphQLClient) -> None:
    # given: two devices signed in as the same person
    chat = await start_chat(gql, accept=True)
    log_in = 'mutation($input: LogInInput!) { logIn(input: $input) { token } }'
    second = (await gql.execute(log_in, {"input": {"email": chat.candidate.email, "password": "correct horse battery"}}))
    async with gql.websocket(token=second["logIn"]["token"]) as ws:
        # when: the first device signs out
        await gql.execute(LOG_OUT, token=chat.candidate.token)
        # then: the second still works
        assert (await run(ws, VIEWER))["data"]["viewer"]["id"] == chat.candidate.id


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_one_account_may_hold_only_so_many_sockets(settings: Settings, protocol: str) -> None:
    # given: at most 2 sockets per account
    async with held(running_app(settings.replace(max_websockets_per_user=2))) as (_, client):
        gql = GraphQLClient(client)
        token = (await gql.execute(SIGN_UP, {"input": {
            "email": "tabs@example.org", "password": "correct horse battery",
            "displayName": "Many Tabs", "role": "CANDIDATE",
        }}))["signUp"]["token"]
        async with gql.websocket(token=token, protocol=protocol), gql.websocket(token=token, protocol=protocol):
            # when: a third one signs in
            async with gql.websocket(token=token, protocol=protocol, init=False) as third:
                await third.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
                # then: refused clearly
                if protocol == LEGACY_WS:
                    answer = await third.receive()
                    assert answer["type"] == "connection_error"
                    assert answer["payload"]["extensions"]["code"] == "TOO_MANY_CONNECTIONS"
                with pytest.raises(WebSocketDisconnect) as closed:
                    await third.receive()
                assert closed.value.code == 4429
                assert "at most 2" in (closed.value.reason or "")
            # anonymous sockets and other accounts are not counted
            async with gql.websocket(protocol=protocol) as anonymous:
                assert (await run(anonymous, "{ viewer { id } }"))["data"] == {"viewer": None}
        # when the first two close, the account may connect again
        await asyncio.sleep(0.05)
        async with gql.websocket(token=token, protocol=protocol) as again:
            assert (await run(again, VIEWER))["data"]["viewer"]["email"] == "tabs@example.org"
