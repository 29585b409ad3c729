"""The TypeScript example client (examples/typescript) is generated from schema.graphql
and examples/operations, type-checks, and runs the hiring story against a live server
(tests/examples/hiring_story.py: sign-up to accepted offer, the chat subscription and its
resumption included): HTTP for queries and mutations, graphql-ws over a real WebSocket.

Needs node and npm (CI has both): without them the test fails, it does not skip.
`npm ci` runs only when package-lock.json changed since the last install.
Deselect for a quick local run with `-m "not clients"`.
"""

from __future__ import annotations

import hashlib
import shutil

import pytest

from tests.examples.hiring_story import assert_printed_every_step, assert_story_rows
from tests.examples.server import REPO, LiveServer, run
from tests.mailbox import MAIL_DIR

pytestmark = pytest.mark.clients

CLIENT = REPO / "examples" / "typescript"
STAMP = CLIENT / "node_modules" / ".openforwork-lock.sha256"


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail(
            "node and npm are required for the TypeScript client test (node >= 20); install "
            "them, or deselect these tests locally with -m 'not clients'"
        )
    return npm


def install_dependencies(npm: str) -> None:
    """`npm ci` from the committed lock file, skipped when node_modules matches it."""
    digest = hashlib.sha256((CLIENT / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run([npm, "ci", "--no-audit", "--no-fund"], CLIENT, timeout=600)
    STAMP.write_text(digest)


def test_typescript_client_generates_type_checks_and_runs(server: LiveServer) -> None:
    # given: dependencies from the lock file, code generated from the committed schema
    npm = _npm()
    install_dependencies(npm)
    run([npm, "run", "--silent", "codegen"], CLIENT, timeout=120)
    assert (CLIENT / "src" / "generated" / "graphql.ts").exists()
    # tsc type-checks the steps against the generated types (noEmitOnError) and builds
    run([npm, "run", "--silent", "build"], CLIENT, timeout=180)

    # when
    result = run(["node", "build/run.js"], CLIENT, timeout=120, env={"API_URL": server.url, "MAIL_DIR": str(MAIL_DIR)})

    # then: every step of the hiring story passed, over HTTP and over the WebSocket
    assert_printed_every_step(result.stdout)
    # and: the accounts, profiles, conversation, messages and offer are in the database
    assert_story_rows(server.database, "ts")
