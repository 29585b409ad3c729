"""Several server processes on one PostgreSQL database and one Redis: what one process
writes, subscribers on the other receive — chat, offers and saved-search alerts."""

from __future__ import annotations

import httpx

from tests.factories.accounts import make_candidate
from tests.graphql import GraphQLClient
from tests.scaleout.servers import serve
from tests.scaleout.story import (
    ADD_SKILL,
    CANDIDATE_MATCHED,
    EXTEND,
    MESSAGE_ADDED,
    OFFER_UPDATED,
    SAVE,
    accepted_conversation,
    send,
    visible_candidate,
)

VIEWER = "{ viewer { id } }"


async def test_two_servers_share_accounts(shared_env: dict[str, str]) -> None:
    async with serve(shared_env) as a, serve(shared_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            # given: an account made on server A
            candidate = await make_candidate(GraphQLClient(client_a))
            # then: its token works on server B
            data = await GraphQLClient(client_b).execute(VIEWER, token=candidate.token)
            assert data["viewer"]["id"] == candidate.id


async def test_serve_with_two_workers(shared_env: dict[str, str]) -> None:
    async with serve(shared_env, workers=2) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            gql = GraphQLClient(client)
            candidate = await make_candidate(gql)
            for _ in range(10):  # spread over both workers
                assert (await gql.execute(VIEWER, token=candidate.token))["viewer"]["id"] == candidate.id


async def test_chat_offers_and_alerts_cross_servers(shared_env: dict[str, str]) -> None:
    async with serve(shared_env) as a, serve(shared_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
            # given: a conversation made through server A
            candidate, employer, conversation_id, _ = await accepted_conversation(on_a)
            # subscribers on server B
            async with on_b.websocket(token=candidate.token) as candidate_ws, on_b.websocket(token=employer.token) as employer_ws:
                messages = await candidate_ws.subscribe(MESSAGE_ADDED, {"id": conversation_id})
                offers = await candidate_ws.subscribe(OFFER_UPDATED)
                saved = (await on_a.mutate(SAVE, {"name": "Zig people", "query": "zig"}, token=employer.token))["savedSearch"]
                alerts = await employer_ws.subscribe(CANDIDATE_MATCHED, {"id": saved["id"]})
                await candidate_ws.expect_silence(0.3)
                await employer_ws.expect_silence(0.1)
                # when: writes go to server A
                sent = await send(on_a, employer, conversation_id, "Sent on A, read on B")
                await on_a.mutate(EXTEND, {"conversationId": conversation_id, "terms": {
                    "title": "Platform engineer", "description": "Offer",
                    "salary": {"amount": 95000, "currency": "EUR", "period": "YEAR"}}}, token=employer.token)
                other = await visible_candidate(on_a)
                await on_a.mutate(ADD_SKILL, {"name": "Zig", "level": 4}, token=other.token)
                # then: B's subscribers get each of them
                received = (await candidate_ws.next(messages, timeout=10))["data"]["messageAdded"]
                assert received == {"id": sent["id"], "seq": sent["seq"], "body": "Sent on A, read on B"}
                update = (await candidate_ws.next(offers, timeout=10))["data"]["offerUpdated"]
                assert (update["change"], update["offer"]["status"]) == ("EXTENDED", "SENT")
                alert = (await employer_ws.next(alerts, timeout=10))["data"]["candidateMatched"]
                assert alert["savedSearchId"] == saved["id"]


async def test_killed_server_clients_resume_on_the_other(shared_env: dict[str, str]) -> None:
    async with serve(shared_env) as a:
        async with httpx.AsyncClient(base_url=a.url) as client_a:
            on_a = GraphQLClient(client_a)
            candidate, employer, conversation_id, first = await accepted_conversation(on_a)
            last_seen = first["id"]
            async with serve(shared_env) as b:
                async with httpx.AsyncClient(base_url=b.url) as client_b:
                    ws_cm = GraphQLClient(client_b).websocket(token=candidate.token)
                    ws = await ws_cm.__aenter__()
                    op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": last_seen})
                    live = await send(on_a, employer, conversation_id, "before the crash")
                    got = (await ws.next(op, timeout=10))["data"]["messageAdded"]
                    # the replay may include the system message after `first`; read until the live one
                    while got["id"] != live["id"]:
                        got = (await ws.next(op, timeout=10))["data"]["messageAdded"]
                    last_seen = got["id"]
                    # when: server B dies mid-stream, and messages keep coming on A
                    b.kill()
                    await b.process.wait()
                    try:
                        await ws_cm.__aexit__(None, None, None)
                    except Exception:  # the socket is gone; closing it may fail
                        pass
            missed = [await send(on_a, employer, conversation_id, f"missed {i}") for i in range(3)]
            # then: reconnecting to A with `after` gets exactly what was missed, in order
            async with on_a.websocket(token=candidate.token) as ws:
                op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": last_seen})
                replay = [(await ws.next(op, timeout=10))["data"]["messageAdded"] for _ in missed]
                assert [m["id"] for m in replay] == [m["id"] for m in missed]
                assert [m["seq"] for m in replay] == [m["seq"] for m in missed]
                await ws.expect_silence(0.3)
