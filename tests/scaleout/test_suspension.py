"""A suspended company disappears from every read and subscription within the request
that suspends it, on two servers sharing PostgreSQL and Redis: the moderator acts on
server A; on server B the company's searches, profile reads and conversations stop, its
open subscription ends, and the candidate hears that her open offer was closed."""

from __future__ import annotations

import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from tests.factories.accounts import PASSWORD
from tests.factories.safety import LOG_IN, QUEUE, RESOLVE, create_moderator_from_command_line, report
from tests.graphql import GraphQLClient
from tests.scaleout.servers import serve
from tests.scaleout.story import EXTEND, MESSAGE_ADDED, OFFER_UPDATED, accepted_conversation

SEARCH = "query { searchCandidates(query: \"platform\") { totalCount } }"
CONVERSATIONS = "{ conversations { totalCount } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
MY_PROFILE = "{ myProfile { id } }"
OFFERS = "{ offers { edges { node { id status } } } }"


async def test_a_suspended_company_is_gone_on_the_other_server_at_once(shared_env: dict[str, str]) -> None:
    create_moderator_from_command_line(shared_env["DATABASE_URL"], "mod@openforwork.test")
    async with serve(shared_env) as a, serve(shared_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
            # given: made on A — a conversation with an open offer, and the candidate's report of the company
            candidate, employer, conversation_id, _ = await accepted_conversation(on_a)
            await on_a.mutate(EXTEND, {"conversationId": conversation_id, "terms": {
                "title": "Platform engineer", "salary": {"amount": 90000, "currency": "EUR", "period": "YEAR"},
            }}, token=employer.token)
            await report(on_a, candidate, employer.company_id or "", "SCAM")
            profile_id = (await on_b.execute(MY_PROFILE, token=candidate.token))["myProfile"]["id"]
            assert (await on_b.execute(SEARCH, token=employer.token))["searchCandidates"]["totalCount"] == 1
            moderator = await on_a.mutate(LOG_IN, {"email": "mod@openforwork.test", "password": PASSWORD})
            [case] = (await on_a.execute(QUEUE, token=moderator["token"]))["moderationQueue"]["edges"]
            # and: subscriptions open on B
            async with on_b.websocket(token=employer.token) as employer_ws, on_b.websocket(token=candidate.token) as candidate_ws:
                employer_op = await employer_ws.subscribe(MESSAGE_ADDED, {"id": conversation_id})
                candidate_op = await candidate_ws.subscribe(OFFER_UPDATED)
                await employer_ws.expect_silence(0.5)
                await candidate_ws.expect_silence(0.1)
                # when: the moderator suspends the company on A
                await on_a.mutate(RESOLVE, {"reportId": case["node"]["id"], "action": "SUSPEND_COMPANY"}, token=moderator["token"])
                # then: on B, right after that request returned, the company reads nothing
                for document in (SEARCH, CONVERSATIONS):
                    assert (await on_b.post(document, token=employer.token)).codes == ["UNAUTHENTICATED"]
                assert (await on_b.post(NODE, {"id": profile_id}, token=employer.token)).data == {"node": None}
                # and: nobody reads the company any more
                assert (await on_b.execute(NODE, {"id": employer.company_id}, token=candidate.token))["node"] is None
                # and: its open subscription on B ended
                ended = await employer_ws.receive()
                errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
                assert ended["id"] == employer_op and errors[0]["extensions"]["code"] == "UNAUTHENTICATED", ended
                # and: the candidate on B heard that the offer was closed
                update = (await candidate_ws.next(candidate_op))["data"]["offerUpdated"]
                assert update["change"] == "CLOSED" and update["offer"]["status"] == "CLOSED"
            # and: a new socket on B with the company's token is refused at connection_init
            async with on_b.websocket(init=False) as again:
                await again.send({"type": "connection_init", "payload": {"authorization": f"Bearer {employer.token}"}})
                with pytest.raises(WebSocketDisconnect) as closed:
                    await again.receive()
                assert closed.value.code == 4403
            # and: the candidate reads on B that her conversation's offer is closed
            offers = (await on_b.execute(OFFERS, token=candidate.token))["offers"]["edges"]
            assert [e["node"]["status"] for e in offers] == ["CLOSED"]
