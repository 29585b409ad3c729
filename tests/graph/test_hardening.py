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
from tests.deadline import within
from tests.factories.accounts import make_candidate
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


# --- Documents that cost more to check than to send --------------------------------

# Generous bound for one hostile request through the real app, lifespan included: the
# refusals below take milliseconds; an exponential rule takes minutes.
HOSTILE_REQUEST_SECONDS = 10.0


def fragment_bomb(levels: int, on: str = "Query", leaf: str = "__typename") -> str:
    """``query{...F<levels>}``; F0 selects ``leaf``; each Fi spreads F(i-1) twice:
    2^levels fields once expanded, from ~37 bytes a level."""
    operation = "mutation" if on == "Mutation" else "query"
    return (
        f"{operation}{{...F{levels}}}\nfragment F0 on {on}{{{leaf}}}\n"
        + "".join(f"fragment F{i} on {on}{{...F{i - 1} ...F{i - 1}}}\n" for i in range(1, levels + 1))
    )


def post_within(settings: Settings, *bodies: dict[str, object]) -> list[tuple[int, dict]]:
    """POST each body to a fresh real app, in a thread, failing after HOSTILE_REQUEST_SECONDS;
    then checks that the app still answers /healthz."""

    async def work() -> list[tuple[int, dict]]:
        async with running_app(settings) as (_, client):
            answers = []
            for body in bodies:
                response = await client.post("/graphql", json=body)
                answers.append((response.status_code, response.json()))
            assert (await client.get("/healthz")).status_code == 200
            return answers

    return within(HOSTILE_REQUEST_SECONDS, work)


def test_fragment_spread_bomb_is_refused_in_milliseconds(settings: Settings) -> None:
    # given: 1.3 KB, 2^39 fields once expanded; no alias, under the token limit
    bomb = fragment_bomb(39)
    assert len(bomb) < 1_500
    # when
    [(status, body)] = post_within(settings, {"query": bomb})
    # then
    assert status == 200 and body.get("data") is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert f"more than {settings.max_selections}" in error["message"]


def test_fragment_bombs_on_mutations_and_introspection_are_refused(settings: Settings) -> None:
    answers = post_within(
        settings,
        {"query": fragment_bomb(39, on="Mutation", leaf="logOut { userErrors { code } }")},
        {"query": "{ __schema { types { ...F30 } } }\n" + fragment_bomb(30, on="__Type", leaf="name").split("\n", 1)[1]},
        {"query": "query { __typename }\n" + fragment_bomb(39).split("\n", 1)[1]},  # bomb left unused
    )
    for _status, body in answers:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"], body


def test_repeated_fields_are_refused_before_the_overlap_check(settings: Settings) -> None:
    # given: 1,000 copies of one field (4,000 tokens): graphql-core's
    # OverlappingFieldsCanBeMerged compares every pair of them (seconds of CPU)
    repeated = "{" + " viewer { id }" * 1_000 + " }"
    # when
    [(_status, body)] = post_within(settings, {"query": repeated})
    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert "same field at the same path" in body["errors"][0]["message"]


async def test_ordinary_repeats_and_fragments_still_run(gql: GraphQLClient) -> None:
    # a field selected again through a fragment is an ordinary thing clients do
    query = "{ viewer { id ...U } a: viewer { id } } fragment U on User { id displayName }"
    assert await gql.execute(query) == {"viewer": None, "a": None}


@pytest.mark.parametrize("document", ["{ }", "{ viewer { } }", "query Q { ...E } fragment E on Query { }"])
async def test_empty_selection_sets_are_refused(gql: GraphQLClient, document: str) -> None:
    # when: a selection set that selects nothing (graphql-core 3.3 parses it)
    result = await gql.post(document)
    # then: refused like any invalid document, nothing runs
    assert result.data is None
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "at least one field" in result.errors[0]["message"]


async def test_fragment_cycles_are_refused(gql: GraphQLClient) -> None:
    result = await gql.post("{ ...A } fragment A on Query { ...B } fragment B on Query { viewer { id } ...A }")
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "within itself" in result.errors[0]["message"]


async def test_depth_through_fragments_is_still_limited(gql: GraphQLClient, settings: Settings) -> None:
    # given: the depth comes from fragments spread inside fragments (each adds a level)
    levels = settings.max_depth
    fragments = "fragment C0 on Company { id }\n" + "".join(
        f"fragment C{i} on Company {{ company {{ ...C{i - 1} }} }}\n" for i in range(1, levels + 1)
    )
    deep = f"{{ viewer {{ company {{ ...C{levels} }} }} }}\n" + fragments
    # when
    result = await gql.post(deep)
    # then
    assert any("exceeds maximum operation depth" in e["message"] for e in result.errors)


def test_costly_mutations_in_fragments_count_for_the_address_limit(settings: Settings) -> None:
    # given: a limit of 2 costly mutations per minute for one address
    limited = settings.replace(costly_mutations_per_minute_per_address=2)
    log_in = 'logIn(input: {email: "x@example.org", password: "p1234567890"}) { token }'
    hidden = (
        "mutation { ...M ... on Mutation { c: " + log_in + " } }\n"
        "fragment M on Mutation { a: " + log_in + " b: " + log_in + " }"
    )
    # when: three sign-ins hidden in fragments
    [(_status, body)] = post_within(limited, {"query": hidden})
    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["RATE_LIMITED"]


def test_allowlist_does_not_parse_a_huge_unregistered_document(settings: Settings) -> None:
    # given: allow-list mode (production) and a 1.9 MB document nobody registered
    huge = "{" + " viewer { id }" * 140_000 + " }"
    assert len(huge) < settings.max_body_bytes
    # when
    [(_status, body)] = post_within(settings.replace(persisted_queries="allowlist"), {"query": huge})
    # then: refused after at most MAX_QUERY_TOKENS tokens were read
    assert [e["extensions"]["code"] for e in body["errors"]] == ["OPERATION_NOT_ALLOWED"]
