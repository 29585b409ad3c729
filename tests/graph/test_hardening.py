"""Persisted queries (APQ and allow-list), the operation log, WebSocket frame limits and
hostile documents."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from graph.settings import Settings
from models.operations import PersistedOperation
from resolvers.persisted import normalise, register_operations, sha256
from tests.conftest import held, running_app
from tests.factories import make_candidate
from tests.graphql import GraphQLClient

VIEWER = "query Viewer { viewer { id displayName } }"


def apq(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_apq_unknown_hash_then_register_then_hash_only(http: httpx.AsyncClient) -> None:
    digest = sha256(VIEWER)
    # when: hash only, unknown
    first = (await http.post("/graphql", json={"extensions": apq(digest)})).json()
    # then
    assert first["errors"][0]["message"] == "PersistedQueryNotFound"
    assert first["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # when: the client retries with the text, then uses the hash alone
    second = (await http.post("/graphql", json={"query": VIEWER, "extensions": apq(digest)})).json()
    third = (await http.post("/graphql", json={"extensions": apq(digest)})).json()
    assert second == third == {"data": {"viewer": None}}


async def test_apq_hash_mismatch_is_refused(http: httpx.AsyncClient) -> None:
    body = {"query": VIEWER, "extensions": apq("0" * 64)}
    result = (await http.post("/graphql", json=body)).json()
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in result or result["data"] is None


@pytest.fixture
async def allowlist_http(database_url: str) -> httpx.AsyncClient:
    settings = Settings(
        environment="test", database_url=database_url, persisted_queries="allowlist",
        extra={"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"},
    )
    async with held(running_app(settings)) as (_, client):
        yield client


async def test_allowlist_runs_only_registered_operations(
    allowlist_http: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given
    operation = tmp_path / "viewer.graphql"
    operation.write_text(VIEWER)
    registered = await register_operations([operation])
    assert registered[0] == ("Viewer", sha256(VIEWER))
    # the file as written, and its canonical print (what generated clients send)
    assert await PersistedOperation.all().count() == 2
    # when / then: by hash, and as identical text
    by_hash = (await allowlist_http.post("/graphql", json={"extensions": apq(sha256(VIEWER))})).json()
    by_text = (await allowlist_http.post("/graphql", json={"query": VIEWER})).json()
    assert by_hash == by_text == {"data": {"viewer": None}}
    # anything else is refused, clearly
    other = (await allowlist_http.post("/graphql", json={"query": "{ viewer { id } }"})).json()
    assert other["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    assert "register-operations" in other["errors"][0]["message"]


async def test_operation_log_has_no_secrets(gql: GraphQLClient, caplog: pytest.LogCaptureFixture) -> None:
    # given
    with caplog.at_level(logging.INFO, logger="openforwork.operations"):
        candidate = await make_candidate(gql, email="private.person@example.org")
        await gql.execute(VIEWER, token=candidate.token)
    # then
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "openforwork.operations"]
    assert [line["operation"] for line in lines] == ["SignUp", "Viewer"]
    assert lines[1]["viewerId"] is not None and lines[1]["type"] == "query"
    assert all(line["requestId"] and line["durationMs"] >= 0 for line in lines)
    text = caplog.text
    assert candidate.token not in text
    assert "private.person" not in text
    assert "correct horse" not in text


async def test_oversized_websocket_frame_closes_the_socket(gql: GraphQLClient, settings: Settings) -> None:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket(init=False) as ws:
        await ws.send({"type": "connection_init", "payload": {"x": "a" * (settings.max_ws_frame_bytes + 1)}})
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code == 1009
    # the server still serves others
    assert (await gql.execute("{ viewer { id } }")) == {"viewer": None}


@pytest.mark.parametrize(
    "frame",
    ["not json", "[]", '{"type": "subscribe"}', '{"type": 42}', '{"no": "type"}'],
)
async def test_broken_websocket_frames_close_cleanly(gql: GraphQLClient, frame: str) -> None:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket(init=True) as ws:
        await ws.ws.send_text(frame)
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code in {4400, 1003, 4401}
    assert (await gql.execute("{ viewer { id } }")) == {"viewer": None}


async def test_subscribe_before_connection_init_is_unauthorized(gql: GraphQLClient) -> None:
    from httpx_ws import WebSocketDisconnect

    async with gql.websocket(init=False) as ws:
        await ws.send({"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { id } }"}})
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()
        assert closed.value.code == 4401


async def test_thirty_level_nesting_is_refused(gql: GraphQLClient) -> None:
    nested = "{ viewer { " + "company { " * 30 + "id" + " }" * 30 + " } }"
    result = await gql.post(nested)
    assert result.data is None
    assert any("exceeds maximum operation depth" in e["message"] for e in result.errors)


async def test_five_megabyte_body_is_refused_and_server_keeps_serving(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", content=b"x" * (5 * 1024 * 1024), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert (await gql.execute("{ viewer { id } }")) == {"viewer": None}


@pytest.mark.parametrize(
    "body",
    [b'{"query": 42}', b'{"query": "{ viewer { id } }", "variables": "nope"}', b"\xff\xfe", b"", b"null"],
)
async def test_malformed_bodies_are_client_errors(http: httpx.AsyncClient, body: bytes) -> None:
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


async def test_wrong_variable_types_are_validation_errors(gql: GraphQLClient) -> None:
    result = await gql.post("query N($id: ID!) { node(id: $id) { id } }", {"id": {"nested": True}})
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]


async def test_connection_init_timeout_closes_with_4408(settings: Settings) -> None:
    from httpx_ws import WebSocketDisconnect

    async with held(running_app(settings.replace(connection_init_timeout_seconds=1))) as (_, client):
        async with GraphQLClient(client).websocket(init=False) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                await ws.receive(timeout=5)
            assert closed.value.code == 4408


async def test_cors_allows_only_configured_origins(settings: Settings) -> None:
    configured = settings.replace(allowed_origins=("https://app.example.com",))
    async with held(running_app(configured)) as (_, client):
        allowed = await client.options(
            "/graphql",
            headers={"origin": "https://app.example.com", "access-control-request-method": "POST"},
        )
        denied = await client.options(
            "/graphql",
            headers={"origin": "https://evil.example.net", "access-control-request-method": "POST"},
        )
    assert allowed.headers.get("access-control-allow-origin") == "https://app.example.com"
    assert "access-control-allow-origin" not in denied.headers


async def test_introspection_can_be_switched_off(settings: Settings) -> None:
    async with held(running_app(settings.replace(introspection=False, graphiql=False))) as (_, client):
        result = await GraphQLClient(client).post("{ __schema { types { name } } }")
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert result.data is None and result.errors
    assert page.status_code == 404


async def test_allowlist_accepts_each_operation_of_a_file_as_clients_send_it(
    allowlist_http: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given: one file with two operations sharing a fragment (as examples/operations has)
    operations = tmp_path / "accounts.graphql"
    operations.write_text(
        "fragment Me on User { id displayName }\n"
        "query Viewer { viewer { ...Me } }\n"
        "query JustId { viewer { id } }\n"
    )
    await register_operations([operations])
    # when: a client sends one operation with only its fragments, formatted its own way
    viewer_alone = "query Viewer {\n  viewer {\n    ...Me\n  }\n}\n\nfragment Me on User {\n  id\n  displayName\n}"
    by_text = (await allowlist_http.post("/graphql", json={"query": viewer_alone})).json()
    just_id = normalise("query JustId { viewer { id } }")  # graphql-js print gives the same text
    assert just_id is not None
    by_hash = (await allowlist_http.post("/graphql", json={"extensions": apq(sha256(just_id))})).json()
    # then
    assert by_text == {"data": {"viewer": None}}
    assert by_hash == {"data": {"viewer": None}}
    tampered = viewer_alone.replace("displayName", "email")
    refused = (await allowlist_http.post("/graphql", json={"query": tampered})).json()
    assert refused["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


async def test_costly_mutations_are_limited_per_client_address(settings: Settings) -> None:
    # given: a limit of 3 costly mutations per minute for one address
    async with held(running_app(settings.replace(costly_mutations_per_minute_per_address=3))) as (_, client):
        gql = GraphQLClient(client)
        log_in = 'mutation { logIn(input: {email: "x@example.org", password: "whatever123"}) { token } }'
        # when: two calls, then one document with two aliased calls
        for _ in range(2):
            assert (await gql.post(log_in)).codes == []
        aliased = (
            'mutation { a: logIn(input: {email: "x@example.org", password: "p1234567890"}) { token } '
            'b: logIn(input: {email: "y@example.org", password: "p1234567890"}) { token } }'
        )
        result = await gql.post(aliased)
        # then: refused as a whole, with a retry hint; queries still run
        assert result.codes == ["RATE_LIMITED"]
        assert result.errors[0]["extensions"]["retryAfterSeconds"] >= 1
        assert (await gql.execute("{ viewer { id } }")) == {"viewer": None}
