"""One execution per group of subscribers of one event (``graph/multiplex.py``): sockets
of one account in the same state share it, whatever their token; another account,
another document or other variables do not; a subscriber that leaves while its group's
execution runs does not take the others' answer with it. What each subscriber sees is
pinned by ``test_view_classes.py``; these tests pin how many executions it took."""

from __future__ import annotations

import asyncio

import pytest
from graphql import ExecutionResult

from graph.multiplex import SharedExecution
from graph.schema import ExecutionContext
from tests.factories.accounts import PASSWORD, make_employer
from tests.factories.chat import make_reachable_candidate, send, start_chat
from tests.factories.safety import LOG_IN
from tests.graphql import TRANSPORT_WS, GraphQLClient, subscribed

VIEW = """
subscription View($c: ID) {
  messageAdded(conversationId: $c) { seq body clientMessageId senderSide sender { id displayName } conversation { id viewerSide } }
}
"""
OTHER_VIEW = """
subscription Other($c: ID) {
  messageAdded(conversationId: $c) { seq body clientMessageId }
}
"""


def executions_counted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every per-event execution of a selection, shared or not: a spy that calls through."""
    built: list[object] = []
    own = ExecutionContext._own_event_executor

    def spy(self: ExecutionContext, payload: object) -> object:
        built.append(payload)
        return own(self, payload)

    monkeypatch.setattr(ExecutionContext, "_own_event_executor", spy)
    return built


async def test_sockets_of_one_account_share_one_execution_and_nobody_else_does(
    gql: GraphQLClient, app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: an employer signed in twice (two tokens), a colleague, and a candidate they talk to
    employer = await make_employer(gql)
    again = await gql.mutate(LOG_IN, {"email": employer.email, "password": PASSWORD})
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    candidate = await make_reachable_candidate(gql)
    chat = await start_chat(gql, employer, candidate, accept=True)
    # ... each watching their inbox: the employer from three sockets (two with the first token,
    # one with the second), and once more with another document
    watchers = [
        ("employer", employer.token, VIEW), ("employer", employer.token, VIEW), ("employer", again["token"], VIEW),
        ("employer-other-document", employer.token, OTHER_VIEW), ("colleague", colleague.token, VIEW),
        ("candidate", candidate.token, VIEW),
    ]
    sockets = [gql.websocket(token=token, protocol=TRANSPORT_WS) for _, token, _ in watchers]
    opened = [await socket.__aenter__() for socket in sockets]
    try:
        ops = [await subscribed(app, ws, document, {"c": None}) for ws, (_, _, document) in zip(opened, watchers, strict=True)]
        built = executions_counted(monkeypatch)
        # when: the employer writes, with a client message id only the sender may see
        await send(gql, employer, chat.conversation_id, "shared once", clientMessageId="mine")
        payloads = await asyncio.gather(*(ws.next(op) for ws, op in zip(opened, ops, strict=True)))
    finally:
        for socket in reversed(sockets):
            await socket.__aexit__(None, None, None)
    # then: everyone got the message, each their own view of it
    seen = [(name, p["data"]["messageAdded"]) for (name, _, _), p in zip(watchers, payloads, strict=True)]
    assert all(view["body"] == "shared once" for _, view in seen)
    assert [view["clientMessageId"] for _, view in seen] == ["mine", "mine", "mine", "mine", None, None]
    assert [view["conversation"]["viewerSide"] for name, view in seen if "conversation" in view] == [
        "COMPANY", "COMPANY", "COMPANY", "COMPANY", "CANDIDATE",
    ]
    assert seen[0][1] == seen[1][1] == seen[2][1]
    # ... from four executions: the employer's three sockets (both tokens) as one, the other
    # document, the colleague, the candidate (six without grouping)
    assert len(built) == 4


async def test_a_subscriber_that_leaves_mid_execution_leaves_its_group_the_answer() -> None:
    # given: one group's execution, held until released, awaited by two subscribers
    release = asyncio.Event()
    calls: list[bool | None] = []

    class Held:
        operation = object()

        def execute_operation(self, serially: bool | None = None) -> object:
            calls.append(serially)

            async def run() -> ExecutionResult:
                await release.wait()
                return ExecutionResult({"messageAdded": {"seq": 1}}, None)

            return run()

    shared = SharedExecution(Held(), root=object())
    first = asyncio.ensure_future(shared.execute_operation(False))
    second = asyncio.ensure_future(shared.execute_operation(False))
    await asyncio.sleep(0)
    # when: the first (who started the execution) leaves, then the execution ends
    first.cancel()
    release.set()
    # then: the second gets the answer, from the one execution, in a result of its own
    result = await second
    assert result.data == {"messageAdded": {"seq": 1}}
    assert calls == [False]
    assert first.cancelled()
    later = await shared.execute_operation(False)
    assert later is not result and later.data is result.data
