"""Chat subscriptions through real WebSockets, both protocols: delivery, resume,
authorization, slow consumers, revoked tokens, limits."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from models.accounts import User
from models.chat import Conversation
from resolvers.chat import append_message
from resolvers.chat.events import message_event
from resolvers.events import conversation_channel
from subscriptions import chat as chat_streams
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.chat import RESPOND, pk, send, start_chat
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, subscribed

PROTOCOLS = [TRANSPORT_WS, LEGACY_WS]

MESSAGE_ADDED = """
subscription Added($conversationId: ID, $after: ID) {
  messageAdded(conversationId: $conversationId, after: $after) { id seq body kind conversation { id } }
}
"""
CONVERSATION_UPDATED = """
subscription Updated($conversationId: ID) {
  conversationUpdated(conversationId: $conversationId) { change seq actorSide conversation { id status } }
}
"""
TYPING = """
mutation Typing($input: SendTypingIndicatorInput!) { sendTypingIndicator(input: $input) { userErrors { code } } }
"""
MARK_READ = """
mutation Read($input: MarkConversationReadInput!) { markConversationRead(input: $input) { userErrors { code } } }
"""
LOG_OUT = "mutation { logOut { revokedTokens } }"


def bodies(payloads: list[dict]) -> list[str]:
    return [p["data"]["messageAdded"]["body"] for p in payloads]


async def receive_end(ws) -> dict:
    """The error that ended a subscription (an ``error`` frame, or ``next``/``data`` with errors)."""
    message = await ws.receive()
    while message["type"] == "complete":  # the end of an earlier operation
        message = await ws.receive()
    if message["type"] in {"next", "data"}:
        assert message["payload"].get("errors"), message
        return message["payload"]["errors"][0]
    assert message["type"] == "error", message
    payload = message["payload"]
    return payload[0] if isinstance(payload, list) else payload


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_participants_receive_new_messages_live(gql: GraphQLClient, app, protocol: str) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token, protocol=protocol) as ws:
        op = await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        # when
        await send(gql, chat.employer, chat.conversation_id, "hello live")
        # then
        payload = await ws.next(op)
        assert payload["data"]["messageAdded"]["body"] == "hello live"
        assert payload["data"]["messageAdded"]["seq"] == 3
        assert payload["data"]["messageAdded"]["conversation"]["id"] == chat.conversation_id


async def test_subscribed_returns_once_the_stream_is_set_up_not_when_it_reached_the_broker(
    gql: GraphQLClient, app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a messageAdded stream whose setup (reading where the conversation stands) is held back
    chat = await start_chat(gql, accept=True)
    broker = app.state.broker
    entered, release, looked = asyncio.Event(), asyncio.Event(), asyncio.Event()
    set_up = chat_streams._start

    async def held_back(*args):
        entered.set()
        await release.wait()
        async for delivery in set_up(*args):
            yield delivery

    count = broker.live_subscribers

    def counted(channel=None):
        if entered.is_set():
            looked.set()
        return count(channel)

    monkeypatch.setattr(chat_streams, "_start", held_back)
    monkeypatch.setattr(broker, "live_subscribers", counted)
    async with gql.websocket(token=chat.candidate.token) as ws:
        # when
        waiting = asyncio.ensure_future(subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id}))
        await entered.wait()
        await looked.wait()
        # then: the broker holds the subscription, but it is not live and the helper still waits
        assert broker.subscriber_count == 1 and count() == 0
        assert not waiting.done()
        # when the setup is done, it returns, and what is sent next arrives
        release.set()
        op = await waiting
        await send(gql, chat.employer, chat.conversation_id, "after setup")
        assert bodies([await ws.next(op)]) == ["after setup"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_resume_after_disconnect_replays_then_goes_live(gql: GraphQLClient, protocol: str) -> None:
    # given: the candidate saw message seq 3, then disconnected
    chat = await start_chat(gql, accept=True)
    seen = await send(gql, chat.employer, chat.conversation_id, "seen")
    missed = [await send(gql, chat.employer, chat.conversation_id, f"missed {i}") for i in range(3)]
    # when
    async with gql.websocket(token=chat.candidate.token, protocol=protocol) as ws:
        op = await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id, "after": seen["id"]})
        replayed = [await ws.next(op) for _ in missed]
        await send(gql, chat.candidate, chat.conversation_id, "live")
        live = await ws.next(op)
        await ws.expect_silence()
    # then
    assert bodies(replayed) == ["missed 0", "missed 1", "missed 2"]
    assert bodies([live]) == ["live"]


async def test_seam_between_replay_and_live_has_no_gap_and_no_duplicate(gql: GraphQLClient, app) -> None:
    # given: events for already-replayed messages arrive again (duplicate) and out of order
    chat = await start_chat(gql, accept=True)
    seen = await send(gql, chat.employer, chat.conversation_id, "seen")
    m4 = await send(gql, chat.employer, chat.conversation_id, "four")
    async with gql.websocket(token=chat.candidate.token) as ws:
        op = await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id, "after": seen["id"]})
        assert bodies([await ws.next(op)]) == ["four"]
        # when: a duplicate event for seq 4, then seq 6's event before seq 5's
        broker = app.state.broker
        conversation_id = pk(chat.conversation_id)
        await broker.publish(conversation_channel(conversation_id), message_event(conversation_id, pk(m4["id"]), 4))
        conversation = await Conversation.get(id=conversation_id)
        employer = await User.get(id=pk(chat.employer.id))
        async with in_transaction():
            five = await append_message(conversation, sender=employer, body="five")
        async with in_transaction():
            six = await append_message(conversation, sender=employer, body="six")
        await broker.publish(conversation_channel(conversation_id), message_event(conversation_id, six.pk, six.seq))
        await broker.publish(conversation_channel(conversation_id), message_event(conversation_id, five.pk, five.seq))
        # then: each once, in order
        assert bodies([await ws.next(op), await ws.next(op)]) == ["five", "six"]
        await ws.expect_silence()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_inbox_subscription_gets_every_conversation(gql: GraphQLClient, app, protocol: str) -> None:
    # given
    employer = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    first = await start_chat(gql, employer, accept=True)
    second = await start_chat(gql, employer, accept=True)
    async with gql.websocket(token=colleague.token, protocol=protocol) as ws:
        op = await subscribed(app, ws, MESSAGE_ADDED)
        # when
        await send(gql, first.candidate, first.conversation_id, "from first")
        await send(gql, second.candidate, second.conversation_id, "from second")
        # then
        received = [await ws.next(op), await ws.next(op)]
        assert bodies(received) == ["from first", "from second"]
        assert [p["data"]["messageAdded"]["conversation"]["id"] for p in received] == [first.conversation_id, second.conversation_id]


async def test_inbox_resume_with_after(gql: GraphQLClient) -> None:
    employer = await make_employer(gql)
    first = await start_chat(gql, employer, accept=True)
    second = await start_chat(gql, employer, accept=True)
    mark = await send(gql, first.candidate, first.conversation_id, "seen")
    await send(gql, second.candidate, second.conversation_id, "missed in second")
    await send(gql, first.candidate, first.conversation_id, "missed in first")
    async with gql.websocket(token=employer.token) as ws:
        op = await ws.subscribe(MESSAGE_ADDED, {"after": mark["id"]})
        assert bodies([await ws.next(op), await ws.next(op)]) == ["missed in second", "missed in first"]
        await send(gql, second.candidate, second.conversation_id, "live")
        assert bodies([await ws.next(op)]) == ["live"]
        await ws.expect_silence()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_outsiders_cannot_subscribe(gql: GraphQLClient, protocol: str) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    other_company = await make_employer(gql)
    other_candidate = await make_candidate(gql)
    # then
    for outsider in (other_company, other_candidate):
        async with gql.websocket(token=outsider.token, protocol=protocol) as ws:
            await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id})
            assert (await receive_end(ws))["extensions"]["code"] == "FORBIDDEN"
    async with gql.websocket(protocol=protocol) as ws:
        await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        assert (await receive_end(ws))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_outsider_inbox_gets_nothing_and_colleague_gets_everything(gql: GraphQLClient, app) -> None:
    chat = await start_chat(gql, accept=True)
    colleague = await make_employer(gql, invitation_code=chat.employer.invitation_code)
    other_company = await make_employer(gql)
    async with gql.websocket(token=other_company.token) as outsider, gql.websocket(token=colleague.token) as inside:
        outsider_op = await subscribed(app, outsider, MESSAGE_ADDED)
        inside_op = await subscribed(app, inside, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        await send(gql, chat.candidate, chat.conversation_id, "for the company")
        assert bodies([await inside.next(inside_op)]) == ["for the company"]
        await outsider.expect_silence()
        assert outsider_op


async def test_employer_who_leaves_the_company_stops_receiving(gql: GraphQLClient, app) -> None:
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.employer.token) as ws:
        await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        await User.filter(id=pk(chat.employer.id)).update(company_id=None)
        await send(gql, chat.candidate, chat.conversation_id, "secret")
        assert (await receive_end(ws))["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_log_out_ends_the_subscription(gql: GraphQLClient, app, protocol: str) -> None:
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token, protocol=protocol) as ws:
        await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        await gql.execute(LOG_OUT, token=chat.candidate.token)
        error = await receive_end(ws)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert "revoked" in error["message"]


async def test_slow_consumer_is_cut_off_with_a_clear_error(gql: GraphQLClient, app) -> None:
    # given: a subscriber that does not get to read while a burst is published
    chat = await start_chat(gql, accept=True)
    broker = app.state.broker
    async with gql.websocket(token=chat.candidate.token) as ws:
        await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        conversation_id = pk(chat.conversation_id)
        # when: more events than the queue holds, without yielding to the subscriber
        for seq in range(broker.queue_size + 5):
            await broker.publish(conversation_channel(conversation_id), message_event(conversation_id, 1, 1000 + seq))
        # then
        error = await receive_end(ws)
        assert error["extensions"]["code"] == "SLOW_CONSUMER"
        assert "after" in error["message"]
    assert broker.subscriber_count == 0  # nothing left behind


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_conversation_updates_accept_read_and_typing(gql: GraphQLClient, app, protocol: str) -> None:
    chat = await start_chat(gql)
    async with gql.websocket(token=chat.employer.token, protocol=protocol) as ws:
        op = await subscribed(app, ws, CONVERSATION_UPDATED)
        await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": True}, token=chat.candidate.token)
        accepted = (await ws.next(op))["data"]["conversationUpdated"]
        assert accepted == {"change": "ACCEPTED", "seq": None, "actorSide": "CANDIDATE", "conversation": {"id": chat.conversation_id, "status": "ACCEPTED"}}
        await gql.mutate(MARK_READ, {"conversationId": chat.conversation_id}, token=chat.candidate.token)
        read = (await ws.next(op))["data"]["conversationUpdated"]
        assert (read["change"], read["seq"]) == ("READ", 2)
        await gql.mutate(TYPING, {"conversationId": chat.conversation_id}, token=chat.candidate.token)
        await gql.mutate(TYPING, {"conversationId": chat.conversation_id}, token=chat.employer.token)  # own: not echoed
        typing = (await ws.next(op))["data"]["conversationUpdated"]
        assert (typing["change"], typing["actorSide"]) == ("TYPING", "CANDIDATE")
        await ws.expect_silence()


async def test_company_cannot_type_while_requested(gql: GraphQLClient) -> None:
    chat = await start_chat(gql)
    payload = await gql.mutate(TYPING, {"conversationId": chat.conversation_id}, token=chat.employer.token, ok=False)
    assert payload["userErrors"] == [{"code": "CONVERSATION_NOT_ACCEPTED"}]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_subscriptions_per_connection_are_limited(gql: GraphQLClient, app, settings, protocol: str) -> None:
    # given: a connection with as many subscriptions as allowed
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token, protocol=protocol) as ws:
        ops = [
            await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
            for _ in range(settings.max_subscriptions_per_connection)
        ]
        # when: one more
        extra = await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        # then: refused with a clear error; the others keep working
        refusal = await ws.receive()
        assert (refusal["type"], refusal["id"]) == ("error", extra)
        assert "Subscription limit reached" in str(refusal["payload"])
        await send(gql, chat.employer, chat.conversation_id, "still here")
        received = {(await ws.next())["data"]["messageAdded"]["body"] for _ in ops}
        assert received == {"still here"}


async def test_malformed_after_is_bad_user_input(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    other = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token) as ws:
        await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id, "after": "garbage"})
        assert (await receive_end(ws))["extensions"]["code"] == "BAD_USER_INPUT"
        foreign = (await send(gql, other.candidate, other.conversation_id))["id"]
        await ws.subscribe(MESSAGE_ADDED, {"conversationId": chat.conversation_id, "after": foreign})
        assert (await receive_end(ws))["extensions"]["code"] == "BAD_USER_INPUT"
