"""The app's routes, error masking, node lookups and protection limits."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from tests.factories.accounts import make_candidate, make_employer
from tests.graphql import GraphQLClient

NODE = "query Node($id: ID!) { node(id: $id) { id ... on User { displayName } ... on Company { name } } }"
NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }"


async def test_healthz_and_readyz(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert {k: body[k] for k in ("status", "database", "broker", "mailBacklog")} == {"status": "ready", "database": "ok", "broker": "ok", "mailBacklog": 0}
    assert isinstance(body["schedulerLagSeconds"], (int, float))


async def test_graphiql_is_served_to_a_browser(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_node_resolves_own_user_and_hides_others(gql: GraphQLClient) -> None:
    # given
    ada = await make_candidate(gql)
    bob = await make_candidate(gql)
    # when / then
    assert (await gql.execute(NODE, {"id": ada.id}, token=ada.token))["node"]["displayName"] == ada.display_name
    assert (await gql.execute(NODE, {"id": ada.id}, token=bob.token))["node"] is None
    assert (await gql.execute(NODE, {"id": ada.id}))["node"] is None


async def test_node_company_visible_to_signed_in_users(gql: GraphQLClient) -> None:
    employer = await make_employer(gql, company_name="Acme")
    candidate = await make_candidate(gql)
    data = await gql.execute(NODE, {"id": employer.company_id}, token=candidate.token)
    assert data["node"]["name"] == "Acme"
    assert (await gql.execute(NODE, {"id": employer.company_id}))["node"] is None


async def test_nodes_keep_order_and_null_unknown(gql: GraphQLClient) -> None:
    ada = await make_candidate(gql)
    unknown = "VXNlcjo5OTk5OTk"  # User:999999
    data = await gql.execute(NODES, {"ids": [unknown, ada.id, ada.id]}, token=ada.token)
    assert data["nodes"] == [None, {"id": ada.id}, {"id": ada.id}]


@pytest.mark.parametrize("bad_id", ["", "!!!", "Zm9v", "VXNlcjphYmM", "VXNlcjotMQ", "x" * 500])
async def test_malformed_ids_are_bad_user_input(gql: GraphQLClient, bad_id: str) -> None:
    result = await gql.post(NODE, {"id": bad_id})
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.data == {"node": None}


async def test_foreign_type_ids_resolve_to_null(gql: GraphQLClient) -> None:
    import base64

    foreign = base64.urlsafe_b64encode(b"Spaceship:1").decode().rstrip("=")
    assert (await gql.execute(NODE, {"id": foreign}))["node"] is None


async def test_too_many_nodes_is_refused(gql: GraphQLClient) -> None:
    result = await gql.post(NODES, {"ids": ["VXNlcjox"] * 101})
    assert result.codes == ["BAD_USER_INPUT"]


async def test_unexpected_errors_are_masked_with_a_request_id(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a resolver that fails in an unforeseen way
    import resolvers.accounts

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(resolvers.accounts, "log_in", broken)
    # when
    with caplog.at_level(logging.ERROR, logger="openforwork.errors"):
        result = await gql.post(
            'mutation { logIn(input: {email: "a@b.cd", password: "x"}) { token } }',
            headers={"x-request-id": "req-123"},
        )
    # then
    assert result.errors == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 12}],
            "path": ["logIn"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"},
        }
    ]
    assert "hunter2" not in str(result.errors)
    assert any("req-123" in record.getMessage() and record.exc_info for record in caplog.records)


async def test_validation_errors_stay_visible(gql: GraphQLClient) -> None:
    result = await gql.post("{ viewer { noSuchField } }")
    assert result.status_code == 200
    assert "noSuchField" in result.errors[0]["message"]
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]


async def test_depth_limit(gql: GraphQLClient) -> None:
    deep = "{ viewer { company { id } } }"
    for _ in range(20):
        deep = deep.replace("company { id }", "company { id } ", 1)
    nested = "{ node(id: \"x\") { " + "... on User { company { " * 15 + "id" + " } }" * 15 + " } }"
    result = await gql.post(nested)
    assert result.data is None
    assert "exceeds maximum operation depth" in result.errors[0]["message"]


async def test_alias_limit(gql: GraphQLClient, settings) -> None:
    query = "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(settings.max_aliases + 1)) + " }"
    result = await gql.post(query)
    assert result.data is None
    assert result.codes[0] == "GRAPHQL_VALIDATION_FAILED"
    assert "aliases" in result.errors[0]["message"].lower()


async def test_two_thousand_aliases_stop_at_the_token_limit(gql: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(2000)) + " }"
    result = await gql.post(query)
    assert result.data is None
    assert "more than" in result.errors[0]["message"] and "tokens" in result.errors[0]["message"]


async def test_body_size_limit(http: httpx.AsyncClient, settings) -> None:
    response = await http.post(
        "/graphql", content=b'{"query": "' + b"a" * (settings.max_body_bytes + 10) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    # still serving
    assert (await http.get("/healthz")).status_code == 200


async def test_malformed_json_is_a_client_error(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", content=b'{"query": ', headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


# --- Operational edges -----------------------------------------------------------------


@pytest.mark.parametrize("opening", [b"[", b'{"a":'])
async def test_a_hundred_thousand_levels_of_json_are_a_client_error(http: httpx.AsyncClient, opening: bytes) -> None:
    # given: 100,000 nested levels (json.loads recurses once per level)
    closing = b"]" if opening == b"[" else b"}"
    body = opening * 100_000 + b"1" + closing * 100_000
    # when
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    # then: 400 with a GraphQL error, not 503 (which operators alert on)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert (await http.get("/healthz")).status_code == 200


async def test_deeply_nested_json_in_a_websocket_frame_closes_the_socket(gql: GraphQLClient) -> None:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket() as ws:
        await ws.ws.send_text("[" * 100_000 + "]" * 100_000)
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code == 4400


async def test_sign_up_at_debug_writes_no_password_hash_email_or_values(
    settings, caplog: pytest.LogCaptureFixture  # noqa: ANN001
) -> None:
    from models.accounts import User
    from tests.conftest import held, running_app

    # given: LOG_LEVEL=DEBUG (and LOG_SQL left off)
    with caplog.at_level(logging.DEBUG):
        async with held(running_app(settings.replace(log_level="DEBUG"))) as (_, client):
            # when: a new user signs up
            await make_candidate(GraphQLClient(client), email="secret.person@example.org")
            stored = await User.get(email="secret.person@example.org")
    # then
    assert stored.password_hash and stored.password_hash not in caplog.text
    assert "secret.person" not in caplog.text
    assert "correct horse" not in caplog.text


async def test_sql_log_when_asked_for_hides_values_in_production(settings, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    from tests.conftest import held, running_app

    production = settings.replace(log_sql=True, environment="production", secret_key="s" * 40)
    with caplog.at_level(logging.DEBUG):
        async with held(running_app(production)) as (_, client):
            await make_candidate(GraphQLClient(client), email="prod.person@example.org")
    sql = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    assert any("INSERT" in line for line in sql)
    assert "prod.person" not in caplog.text


async def test_a_body_that_arrives_too_slowly_gets_408() -> None:
    from graph.middleware import BodySizeLimit

    async def app(scope, receive, send) -> None:  # noqa: ANN001 - reads the whole body like the real app
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the body never completes")

    sent: list[dict] = []

    async def slow_receive() -> dict:
        if not sent and not getattr(slow_receive, "started", False):
            slow_receive.started = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b'{"query": ', "more_body": True}
        await asyncio.sleep(3600)  # the client stalls
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    # when
    middleware = BodySizeLimit(app, limit=1024, timeout=1)
    await asyncio.wait_for(middleware({"type": "http", "headers": []}, slow_receive, send), 10)
    # then
    assert sent[0]["status"] == 408
    assert b"REQUEST_TIMEOUT" in sent[1]["body"]


def test_serve_runs_uvicorn_with_timeouts_and_limits() -> None:
    from graph.cli import uvicorn_options
    from graph.settings import Settings

    options = uvicorn_options(Settings.from_env({"HTTP_KEEP_ALIVE_SECONDS": "7", "MAX_CONNECTIONS": "500"}))
    assert options["timeout_keep_alive"] == 7
    assert options["limit_concurrency"] == 500
    assert options["h11_max_incomplete_event_size"] == 16 * 1024
    assert options["ws_ping_timeout"]


SQLITE_LOCK_SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }'


def _sign_up_input(email: str) -> dict:
    return {"input": {"email": email, "password": "correct horse battery", "displayName": "Locked Out", "role": "CANDIDATE"}}


async def test_sqlite_write_waits_for_another_process_lock_then_succeeds(tmp_path, sqlite_template) -> None:  # noqa: ANN001
    import shutil
    import sqlite3

    from tests.conftest import base_settings, held, running_app

    # given: another connection (as another process would) holds the write lock
    path = tmp_path / "locked.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = base_settings(f"sqlite://{path}", sqlite_busy_timeout_ms=5_000)
    other = sqlite3.connect(path, isolation_level=None)
    async with held(running_app(settings)) as (_, client):
        gql = GraphQLClient(client)
        await gql.execute("{ viewer { id } }")  # the app's connection is open
        other.execute("BEGIN IMMEDIATE")
        # when: a sign-up starts, and the other process writes and commits a moment later
        # (a deferred transaction that read before that commit could never write: SQLite
        # refuses it at once, whatever the busy timeout)
        pending = asyncio.create_task(gql.post(SQLITE_LOCK_SIGN_UP, _sign_up_input("waited@example.org")))
        await asyncio.sleep(0.3)
        other.execute(
            "INSERT INTO persisted_operation (sha256, name, document, created_at) "
            "VALUES ('0', 'other', '{ viewer { id } }', '2026-01-01 00:00:00')"
        )
        other.execute("COMMIT")
        result = await pending
    other.close()
    # then: it waited for the lock instead of failing
    assert result.errors == [] and result.data["signUp"]["token"]


async def test_sqlite_lock_held_past_the_busy_timeout_is_service_unavailable(tmp_path, sqlite_template) -> None:  # noqa: ANN001
    import shutil
    import sqlite3

    from tests.conftest import base_settings, held, running_app

    path = tmp_path / "locked.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = base_settings(f"sqlite://{path}", sqlite_busy_timeout_ms=200)
    other = sqlite3.connect(path, isolation_level=None)
    async with held(running_app(settings)) as (_, client):
        gql = GraphQLClient(client)
        await gql.execute("{ viewer { id } }")
        other.execute("BEGIN IMMEDIATE")
        try:
            result = await gql.post(SQLITE_LOCK_SIGN_UP, _sign_up_input("late@example.org"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        # then: a retryable answer, and the next try works
        assert result.codes == ["SERVICE_UNAVAILABLE"]
        retry = await gql.post(SQLITE_LOCK_SIGN_UP, _sign_up_input("late@example.org"))
        assert retry.errors == [] and retry.data["signUp"]["token"]


async def test_served_websockets_let_go_of_the_handshake_and_keep_working() -> None:
    import gc

    import uvicorn
    import websockets
    from websockets.http11 import Request
    from websockets.server import ServerProtocol

    from graph.cli import uvicorn_options
    from graph.settings import Settings
    from graph.ws_protocol import WS_PROTOCOL, WebSocketProtocol
    from tests.scaleout.servers import free_port

    async def echo(scope, receive, send):  # type: ignore[no-untyped-def]  # a bare ASGI app
        if scope["type"] != "websocket":
            return
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept", "subprotocol": "graphql-transport-ws"})
        assert dict(scope["headers"])[b"x-who"] == b"newcomer"  # the app still has the request's headers
        while (message := await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": message["text"].upper()})

    # given: uvicorn with serve's protocol and a short keepalive ping
    assert uvicorn_options(Settings.from_env({}))["ws"] == WS_PROTOCOL
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(echo, host="127.0.0.1", port=port, ws=WS_PROTOCOL, ws_ping_interval=0.1, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        # when: a client connects, talks, and stays across a few pings
        async with websockets.connect(f"ws://127.0.0.1:{port}/", subprotocols=["graphql-transport-ws"], additional_headers={"x-who": "newcomer"}) as ws:
            await ws.send("hello")
            assert await ws.recv() == "HELLO"
            await asyncio.sleep(0.35)
            await ws.send("still there")
            assert await ws.recv() == "STILL THERE"
            # then: the server's protocol holds neither the handshake's request nor its response
            protocols = [o for o in gc.get_objects() if isinstance(o, WebSocketProtocol)]
            assert len(protocols) == 1
            assert protocols[0].request is None and protocols[0].response is None
            # nor its headers in websockets' parser, which keeps the request it parsed
            held = [
                request for request in gc.get_objects()
                if isinstance(request, Request)
                and any(getattr(referrer, "gi_code", None) is ServerProtocol.parse.__code__ for referrer in gc.get_referrers(request))
            ]
            assert len(held) == 1 and len(held[0].headers) == 0
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
