"""The TypeScript example client (examples/typescript) is generated from schema.graphql
and examples/operations, type-checks, and runs every operation against a live server:
HTTP for queries and mutations, graphql-ws over a real WebSocket.

Needs node and npm (CI has both): without them the test fails, it does not skip.
`npm ci` runs only when package-lock.json changed since the last install.
Deselect for a quick local run with `-m "not clients"`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3

import pytest

from tests.examples.server import REPO, LiveServer, run

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
    result = run(["node", "build/run.js"], CLIENT, timeout=120, env={"API_URL": server.url})

    # then: every step passed, over HTTP and over the WebSocket
    lines = result.stdout.splitlines()
    for expected in (
        "ok signUp candidate:",
        "ok signUp employer:",
        "ok logIn:",
        "ok logIn with a wrong password: INVALID_CREDENTIALS",
        "ok viewer over HTTP:",
        "ok viewer over WebSocket (graphql-transport-ws):",
        "ok logOut revokes the token: UNAUTHENTICATED afterwards",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, result.stdout)
    assert re.fullmatch(r"all \d+ steps passed", lines[-1]), result.stdout
    # and: the accounts exist, and the candidate's logged-out token is revoked
    with sqlite3.connect(server.database) as db:
        users = db.execute("SELECT role FROM user WHERE email LIKE 'ts-%@example.com' ORDER BY role").fetchall()
        revoked = db.execute(
            "SELECT COUNT(*) FROM auth_token JOIN user ON user.id = auth_token.user_id "
            "WHERE user.email LIKE 'ts-candidate-%' AND auth_token.revoked_at IS NOT NULL"
        ).fetchone()[0]
    assert users == [("CANDIDATE",), ("EMPLOYER",)]
    assert revoked == 1
