"""One execution per group of subscribers of one event (``graph/multiplex.py``): sockets
of one account in the same state share it, whatever their token; another account,
another document or other variables do not; a subscriber that leaves while its group's
execution runs does not take the others' answer with it. What each subscriber sees is
pinned by ``test_view_classes.py``; these tests pin how many executions it took."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import ExecutionResult, parse

from graph.multiplex import Follower, SharedExecution, selection_is_viewer_free
from graph.schema import ExecutionContext, create_schema
from graph.settings import Settings
from tests.factories.accounts import PASSWORD, make_candidate, make_employer
from tests.factories.chat import send, start_chat
from tests.factories.notifications import publish_profile
from tests.factories.safety import LOG_IN
from tests.graphql import TRANSPORT_WS, GraphQLClient, subscribed

VIEW = """
subscription View($c: ID) {
  messageAdded(conversationId: $c) { seq body clientMessageId senderSide sender { id displayName } conversation { id viewerSide } }
}
"""
FREE = """
subscription Free($c: ID) {
  messageAdded(conversationId: $c) { seq body kind senderSide conversation { id status lastSeq lastMessage { seq } } }
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
    candidate = await make_candidate(gql)
    await publish_profile(gql, candidate, headline="Backend engineer")  # as a newcomer makes herself reachable
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


async def test_a_selection_that_no_viewer_changes_is_executed_once_for_every_account(
    gql: GraphQLClient, app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: two members of a company and the candidate they talk to, watching their inboxes
    # with a selection of nothing that depends on who asks
    employer = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    candidate = await make_candidate(gql)
    await publish_profile(gql, candidate, headline="Backend engineer")  # as a newcomer makes herself reachable
    chat = await start_chat(gql, employer, candidate, accept=True)
    tokens = [employer.token, colleague.token, candidate.token]
    sockets = [gql.websocket(token=token, protocol=TRANSPORT_WS) for token in tokens]
    opened = [await socket.__aenter__() for socket in sockets]
    try:
        ops = [await subscribed(app, ws, FREE, {"c": None}) for ws in opened]
        built = executions_counted(monkeypatch)
        # when
        await send(gql, candidate, chat.conversation_id, "one for all")
        payloads = await asyncio.gather(*(ws.next(op) for ws, op in zip(opened, ops, strict=True)))
    finally:
        for socket in reversed(sockets):
            await socket.__aexit__(None, None, None)
    # then: the same answer for all three, from one execution per event channel (the
    # company's inbox, the candidate's)
    seen = [p["data"]["messageAdded"] for p in payloads]
    assert seen[0] == seen[1] == seen[2]
    assert seen[0]["body"] == "one for all" and seen[0]["senderSide"] == "CANDIDATE"
    assert seen[0]["conversation"]["id"] == chat.conversation_id
    assert len(built) == 2


@pytest.mark.parametrize(
    ("document", "free"),
    [
        (FREE, True),
        ("subscription { messageAdded { __typename ... on Message { seq body } ...M } } fragment M on Message { kind }", True),
        ("subscription { conversationUpdated { change seq actorSide conversation { id status salaryRange { min } } } }", True),
        (VIEW, False),
        ("subscription { messageAdded { seq clientMessageId } }", False),
        ("subscription { messageAdded { seq ...S } } fragment S on Message { sender { id } }", False),
        ("subscription { messageAdded { conversation { id lastMessage { redFlags } } } }", False),
        ("subscription { conversationUpdated { conversation { id viewerSide } } }", False),
        ("subscription { conversationUpdated { conversation { company { id } } } }", False),
    ],
)
def test_a_selection_is_shared_across_accounts_only_if_no_field_of_it_can_read_the_viewer(
    document: str, free: bool
) -> None:
    # given: the subscription's executor, as the server builds it
    schema = create_schema(Settings())
    executor = ExecutionContext.build(schema._schema, parse(document))
    # when / then
    assert selection_is_viewer_free(executor) is free


class Held:
    """A per-event executor whose execution waits for ``release``; records who executed."""

    operation = object()

    def __init__(self, name: str, release: asyncio.Event, calls: list[str]) -> None:
        self.name, self.release, self.calls = name, release, calls

    def execute_operation(self, serially: bool | None = None) -> object:
        self.calls.append(self.name)

        async def run() -> ExecutionResult:
            await self.release.wait()
            return ExecutionResult({"by": self.name}, None)

        return run()


def held_group(follower_name: str) -> tuple[SharedExecution, asyncio.Future[Any], asyncio.Future[Any], asyncio.Event, list[str]]:
    """A group whose first execution is held until ``release``, started, and one follower
    waiting for it (executing as ``follower_name`` if it must)."""
    release, calls = asyncio.Event(), list[str]()
    group = SharedExecution(Held("first", release, calls), root=object())
    first = asyncio.ensure_future(group.execute_operation(False))
    waiting = asyncio.ensure_future(Follower(group, lambda _: Held(follower_name, release, calls), None).execute_operation(False))
    return group, first, waiting, release, calls


async def test_followers_take_the_first_subscribers_result_in_results_of_their_own() -> None:
    # given: one group's execution, held, and a follower waiting for it
    group, first, waiting, release, calls = held_group("other")
    await asyncio.sleep(0)
    # when
    release.set()
    result, followed = await first, await waiting
    late = Follower(group, lambda _: Held("other", release, calls), None).execute_operation(False)
    # then: one execution; each follower its own result around the same data, the late one at once
    assert calls == ["first"]
    assert isinstance(late, ExecutionResult)
    assert followed is not result and late is not result
    assert followed.data is result.data and late.data is result.data == {"by": "first"}


async def test_when_the_first_subscriber_leaves_mid_execution_the_others_execute_on_their_own() -> None:
    # given: the first subscriber's execution, held, and a follower waiting for it
    _, first, waiting, release, calls = held_group("second")
    await asyncio.sleep(0)
    # when: the first leaves (its socket closed), then executions may end
    first.cancel()
    await asyncio.sleep(0)
    release.set()
    # then: the follower still gets its answer, from an execution of its own
    assert (await waiting).data == {"by": "second"}
    assert calls == ["first", "second"]
    assert first.cancelled()
