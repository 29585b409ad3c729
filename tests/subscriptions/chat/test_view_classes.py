"""One event, several viewers of it: each subscriber gets the fields of its own view
class and never another's (issue 17: the guard for delivering one execution to a group
of subscribers). The sender alone sees its ``clientMessageId``; the company side does
not see an anonymous candidate who has not accepted; each side sees its own
``viewerSide``. All subscribers use the same document and variables."""

from __future__ import annotations

import asyncio

import pytest

from tests.factories.accounts import make_employer
from tests.factories.chat import make_reachable_candidate, send, start_chat
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, subscribed

VIEW = """
subscription View($c: ID) {
  messageAdded(conversationId: $c) {
    seq body clientMessageId senderSide sender { id }
    conversation { id viewerSide candidate { id } }
  }
}
"""


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_every_subscriber_of_one_event_gets_only_its_own_view(gql: GraphQLClient, app, protocol: str) -> None:
    # given: a company of two members and an anonymous candidate, all three watching their inboxes
    employer = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    candidate = await make_reachable_candidate(gql, anonymous=True)
    async with (
        gql.websocket(token=employer.token, protocol=protocol) as ws_employer,
        gql.websocket(token=colleague.token, protocol=protocol) as ws_colleague,
        gql.websocket(token=candidate.token, protocol=protocol) as ws_candidate,
    ):
        sockets = {"employer": ws_employer, "colleague": ws_colleague, "candidate": ws_candidate}
        ops = {name: await subscribed(app, ws, VIEW, {"c": None}) for name, ws in sockets.items()}

        async def everyone() -> dict[str, dict]:
            payloads = await asyncio.gather(*(sockets[name].next(ops[name]) for name in sockets))
            return {name: p["data"]["messageAdded"] for name, p in zip(sockets, payloads, strict=True)}

        # when: the employer contacts the candidate (who has not accepted: anonymous to the company)
        chat = await start_chat(gql, employer, candidate)
        seen = await everyone()
        # then
        assert all(v["conversation"]["id"] == chat.conversation_id and v["seq"] == 1 for v in seen.values())
        assert {name: v["conversation"]["viewerSide"] for name, v in seen.items()} == {
            "employer": "COMPANY", "colleague": "COMPANY", "candidate": "CANDIDATE",
        }
        assert {name: v["conversation"]["candidate"] for name, v in seen.items()} == {
            "employer": None, "colleague": None, "candidate": {"id": candidate.id},
        }
        assert all(v["sender"] == {"id": employer.id} and v["senderSide"] == "COMPANY" for v in seen.values())

        # when: the candidate answers (which accepts and reveals them)
        await send(gql, candidate, chat.conversation_id, "happy to talk", clientMessageId="from-candidate")
        accepted = await everyone()  # the platform's "accepted" message comes first
        assert all(v["seq"] == 2 and v["sender"] is None and v["clientMessageId"] is None for v in accepted.values())
        seen = await everyone()
        assert all(v["seq"] == 3 for v in seen.values())
        # then
        assert {name: v["clientMessageId"] for name, v in seen.items()} == {
            "employer": None, "colleague": None, "candidate": "from-candidate",
        }
        assert all(v["conversation"]["candidate"] == {"id": candidate.id} for v in seen.values())
        assert all(v["sender"] == {"id": candidate.id} and v["senderSide"] == "CANDIDATE" for v in seen.values())

        # when: the colleague writes: the employer (same side, same company) must not see its key
        await send(gql, colleague, chat.conversation_id, "colleague here", clientMessageId="from-colleague")
        seen = await everyone()
        # then
        assert {name: v["clientMessageId"] for name, v in seen.items()} == {
            "employer": None, "colleague": "from-colleague", "candidate": None,
        }
