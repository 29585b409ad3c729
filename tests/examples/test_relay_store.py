"""Relay's store against a live server (issue 20): relay-compiler compiles Relay-style
documents (examples/typescript/src/relay/documents.ts: search with @connection, a
conversation's messages with @connection, a @refetchable Profile fragment) against
schema.graphql, and src/relay/check.ts normalises real answers into a relay-runtime store.

relay-runtime keys records by id alone: when two types share an id it warns "Expected
__typename to be consistent … The GraphQL server likely violated the globally unique id
requirement" (through console.error) and merges the records. The check fails on any such
warning, so this test fails when any id names two types.

Shares node_modules and the build with test_typescript_client.py; needs node and npm.
"""

from __future__ import annotations

import pytest

from tests.examples.server import LiveServer, run
from tests.examples.test_typescript_client import CLIENT, _npm, install_dependencies
from tests.mailbox import MAIL_DIR

pytestmark = pytest.mark.clients

RELAY_STEPS = [
    "ok relay search (@connection) with each result's profile: 2 SearchCandidate and 2 Profile records",
    "ok relay @refetchable Profile fragment (node(id:)): refetched ",
    "ok relay conversation messages (@connection): ",
    "relay store clean: no warnings",
]


def test_relay_store_normalises_live_answers_without_a_warning(server: LiveServer) -> None:
    # given: the client and the Relay artifacts compiled from the committed schema
    npm = _npm()
    install_dependencies(npm)
    run([npm, "run", "--silent", "codegen"], CLIENT, timeout=180)
    assert (CLIENT / "src" / "relay" / "__generated__" / "RelaySearchQuery.graphql.ts").exists()
    run([npm, "run", "--silent", "build"], CLIENT, timeout=180)

    # when: a new employer finds new candidates, talks to one, and every answer goes into the store
    result = run(["node", "build/relay/check.js"], CLIENT, timeout=120, env={"API_URL": server.url, "MAIL_DIR": str(MAIL_DIR)})

    # then: every Relay step passed and relay-runtime warned about nothing
    lines = result.stdout.splitlines()
    for expected in RELAY_STEPS:
        assert any(line.startswith(expected) for line in lines), (expected, result.stdout, result.stderr)
    assert result.stderr == ""
