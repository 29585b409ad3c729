"""Point statements on the event loop (graph/sqlite_engine.py): on SQLite, chat's send and
its per-event reads run their statements on the loop's own thread instead of a hop to
aiosqlite's thread and back; the transaction's ``BEGIN IMMEDIATE`` and ``COMMIT``, and
every statement not marked, stay on aiosqlite's thread."""

from __future__ import annotations

import threading

import pytest
from tortoise import connections

from tests.factories.notifications import inbox
from tests.graph.notifications.test_notifications import RESPOND, SEND, contact, pair
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


class Traced:
    """Every statement SQLite runs on the app's connection, with the thread that ran it."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, int]] = []

    def __call__(self, sql: str) -> None:
        self.statements.append((sql, threading.get_ident()))

    def threads_of(self, start: str) -> set[int]:
        return {thread for sql, thread in self.statements if sql.lstrip().upper().startswith(start)}


async def traced() -> Traced:
    seen = Traced()
    await connections.get("default")._connection.set_trace_callback(seen)
    return seen


async def test_a_sent_message_is_written_on_the_loop_between_a_begin_and_commit_on_the_thread(gql: GraphQLClient) -> None:
    # given: a newcomer candidate who answered a company's first message
    boss, cand = await pair(gql)
    conversation = await contact(gql, boss, cand)
    await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=cand.token)
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Hi"}, token=boss.token)
    loop_thread = threading.get_ident()
    seen = await traced()
    # when: the company writes again
    await gql.mutate(SEND, {"conversationId": conversation, "body": "Still there?"}, token=boss.token)
    await connections.get("default")._connection.set_trace_callback(None)
    # then: the conversation's UPDATE, the message's INSERT and the notification's statements
    # ran on the loop's thread
    writes = [(sql, thread) for sql, thread in seen.statements if sql.upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 4, seen.statements  # conversation, message, notification, its event
    assert {thread for _, thread in writes} == {loop_thread}
    # and the transaction began and committed on aiosqlite's thread (they may wait: a lock, a checkpoint)
    assert seen.threads_of("BEGIN IMMEDIATE") and loop_thread not in seen.threads_of("BEGIN IMMEDIATE")
    assert seen.threads_of("COMMIT") and loop_thread not in seen.threads_of("COMMIT")


async def test_statements_not_marked_stay_on_aiosqlites_thread(gql: GraphQLClient) -> None:
    # given: a newcomer candidate
    _, cand = await pair(gql)
    loop_thread = threading.get_ident()
    seen = await traced()
    # when: she reads her notifications (a page: not a point read)
    await inbox(gql, cand)
    await connections.get("default")._connection.set_trace_callback(None)
    # then: its statements ran on aiosqlite's thread
    selects = seen.threads_of("SELECT")
    assert selects and loop_thread not in selects, seen.statements
