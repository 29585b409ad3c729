"""A document already parsed and validated runs on graphql-core directly (issue 17,
graph/prepared.py); every behaviour of the full path stays on the second request."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import weakref
from typing import Any

import pytest

from tests.factories.accounts import SIGN_UP
from tests.graphql import GraphQLClient

VIEWER = "query Viewer { viewer { id displayName } }"


def _sign_up_input(n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "email": f"prepared-{n}@example.com", "password": "a-long-password-1", "displayName": f"Prepared {n}",
        "role": "CANDIDATE", **overrides,
    }


async def test_a_new_user_s_repeated_query_runs_prepared_with_the_same_answer(gql: GraphQLClient, app: Any) -> None:
    # given: a bare sign-up
    payload = await gql.mutate(SIGN_UP, _sign_up_input(1))
    token = payload["token"]
    # when: the same document twice
    first = await gql.execute(VIEWER, token=token)
    second = await gql.execute(VIEWER, token=token)
    # then: the second ran on the prepared document, and answered the same
    schema = app.state.graphql_app.schema
    assert schema.prepared.get(VIEWER, None) is not None
    assert schema.prepared.get(SIGN_UP, None) is not None
    assert first == second == {"viewer": {"id": payload["viewer"]["id"], "displayName": "Prepared 1"}}
    # and the viewer is still the one the token says, per request
    other = await gql.mutate(SIGN_UP, _sign_up_input(2))
    assert (await gql.execute(VIEWER, token=other["token"]))["viewer"]["displayName"] == "Prepared 2"
    anonymous = await gql.post(VIEWER)
    assert (anonymous.data, anonymous.errors) == ({"viewer": None}, [])


async def test_the_text_rule_refuses_variables_of_a_prepared_document(gql: GraphQLClient, app: Any) -> None:
    await gql.mutate(SIGN_UP, _sign_up_input(3))
    assert app.state.graphql_app.schema.prepared.get(SIGN_UP, None) is not None
    refused = await gql.post(SIGN_UP, {"input": _sign_up_input(4, displayName="bad\x00name")})
    assert refused.codes == ["BAD_USER_INPUT"]
    assert "$input.displayName" in refused.errors[0]["message"]


async def test_errors_are_masked_and_logged_on_the_prepared_path(
    gql: GraphQLClient, app: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    payload = await gql.mutate(SIGN_UP, _sign_up_input(5))
    await gql.execute(VIEWER, token=payload["token"])
    assert app.state.graphql_app.schema.prepared.get(VIEWER, None) is not None
    # given: the viewer's display name fails in an unforeseen way
    def broken(self: Any) -> str:
        raise RuntimeError("secret internals")

    graphql_field = app.state.graphql_app.schema._schema.type_map["User"].fields["displayName"]
    monkeypatch.setattr(graphql_field, "resolve", lambda source, info: broken(source))
    # when
    with caplog.at_level(logging.INFO):
        result = await gql.post(VIEWER, token=payload["token"], headers={"x-request-id": "req-prepared"})
    # then: masked with the request id, the traceback logged, the operation logged
    assert result.errors == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 28}],
            "path": ["viewer", "displayName"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-prepared"},
        }
    ]
    assert "secret" not in json.dumps(result.errors)
    assert any("req-prepared" in r.getMessage() and r.exc_info for r in caplog.records if r.name == "openforwork.errors")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "openforwork.operations"]
    assert [(line["operation"], line["type"], line["requestId"], line["errorCodes"]) for line in lines] == [
        ("Viewer", "query", "req-prepared", ["INTERNAL_SERVER_ERROR"])
    ]


async def test_get_still_refuses_a_prepared_mutation(gql: GraphQLClient, app: Any) -> None:
    await gql.mutate(SIGN_UP, _sign_up_input(6))
    assert app.state.graphql_app.schema.prepared.get(SIGN_UP, None) is not None
    response = await gql.http.get(
        "/graphql",
        params={"query": SIGN_UP, "variables": json.dumps({"input": _sign_up_input(7)})},
        headers={"accept": "application/json"},
    )
    assert response.status_code in (400, 405), response.text


TWO_OPERATIONS = "query Viewer { viewer { id } } query Typename { __typename }"


async def test_named_operations_run_prepared_each_under_its_own_name(gql: GraphQLClient, app: Any) -> None:
    # given: a document of two operations, as generated clients send them (operationName set)
    async def run(name: str) -> dict[str, Any]:
        response = await gql.http.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": name})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body

    # when: each runs twice
    first = [await run("Viewer"), await run("Typename")]
    second = [await run("Viewer"), await run("Typename")]
    # then: each operation was remembered under its own name and answered the same
    prepared = app.state.graphql_app.schema.prepared
    assert prepared.get(TWO_OPERATIONS, "Viewer") is not None
    assert prepared.get(TWO_OPERATIONS, "Typename") is not None
    assert prepared.get(TWO_OPERATIONS, None) is None
    assert first == second == [{"data": {"viewer": None}}, {"data": {"__typename": "Query"}}]


# Documents whose answers the execution plan (graph/prepared.py) must not change: fragments,
# aliases, @skip by a variable, variables refused by coercion, a second named operation,
# a field error. (document, variables, operation name)
PLANNED: list[tuple[str, dict[str, Any] | None, str | None]] = [
    ("query PlanA { viewer { id displayName } }", None, None),
    ("query PlanB { me: viewer { ...Names } viewer { id } } fragment Names on User { id displayName }", None, None),
    ("query PlanC($s: Boolean!) { viewer { id displayName @skip(if: $s) } }", {"s": True}, None),
    ("query PlanC($s: Boolean!) { viewer { id displayName @skip(if: $s) } }", {"s": False}, None),
    ("query PlanC($s: Boolean!) { viewer { id displayName @skip(if: $s) } }", {"s": "not a boolean"}, None),
    ("query PlanD { viewer { id } } query PlanE { viewer { displayName } __typename }", None, "PlanE"),
    ('query PlanF { node(id: "not-a-global-id") { id } viewer { id } }', None, None),
]


async def test_the_execution_plan_answers_as_graphql_core_does(gql: GraphQLClient, app: Any) -> None:
    payload = await gql.mutate(SIGN_UP, _sign_up_input(8))
    headers = {"authorization": f"Bearer {payload['token']}", "x-request-id": "req-plan"}
    prepared = app.state.graphql_app.schema.prepared

    async def answer(query: str, variables: dict[str, Any] | None, name: str | None) -> Any:
        body = {"query": query, "variables": variables, "operationName": name}
        response = await gql.http.post("/graphql", json=body, headers=headers)
        return response.status_code, response.json()

    for query, variables, name in PLANNED:
        full = await answer(query, variables, name)  # the full path, which prepares it
        entry = prepared.get(query, name)
        assert entry is not None and entry.plan is not None, query
        # an operation without variables keeps its collected root fields and sub-field memo
        assert (entry.plan.root_fields is not None) == (variables is None), query
        planned = [await answer(query, variables, name) for _ in range(2)]
        memo = dict(entry.plan.sub_fields or {})
        # when: the same document without its plan (graphql-core's execute as it is)
        prepared._entries[(query, name)] = dataclasses.replace(entry, plan=None)
        unplanned = await answer(query, variables, name)
        prepared._entries[(query, name)] = entry
        # then: all answers are the same, and the shared memo did not grow on repeats
        assert planned == [full, full] and unplanned == full, (query, planned, unplanned, full)
        assert len(entry.plan.sub_fields or {}) == len(memo), query
        assert await answer(query, variables, name) == full
        assert len(entry.plan.sub_fields or {}) == len(memo), query


async def test_a_prepared_request_is_freed_without_the_cyclic_collector(
    gql: GraphQLClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # graphql-core's executor and its async helpers form a cycle; through the executor's
    # context, every request's objects waited for the cyclic collector (graph/prepared.py
    # ``release``). With the collector off, the request's context must be freed anyway.
    payload = await gql.mutate(SIGN_UP, _sign_up_input(9))
    await gql.execute(VIEWER, token=payload["token"])  # prepares it
    view = app.state.graphql_app
    contexts: list[weakref.ref[Any]] = []
    original = view.get_context

    async def get_context(request: Any, response: Any) -> Any:
        context = await original(request, response)
        contexts.append(weakref.ref(context))
        return context

    monkeypatch.setattr(view, "get_context", get_context)
    gc.collect()
    gc.disable()
    try:
        assert (await gql.execute(VIEWER, token=payload["token"]))["viewer"]["displayName"] == "Prepared 9"
        alive = [ref() is not None for ref in contexts]
    finally:
        gc.enable()
    assert alive == [False]


async def test_a_mutation_without_variables_runs_planned(gql: GraphQLClient, app: Any) -> None:
    # given: a mutation without variables (its root fields collected once, run serially)
    log_out = "mutation PlanLogOut { logOut { revokedTokens } }"
    first = await gql.mutate(SIGN_UP, _sign_up_input(11))
    second = await gql.mutate(SIGN_UP, _sign_up_input(12))
    # when: one account logs out on the full path, which prepares it, the other planned
    full = await gql.post(log_out, token=first["token"])
    entry = app.state.graphql_app.schema.prepared.get(log_out, None)
    assert entry is not None and entry.plan is not None and entry.plan.root_fields is not None
    assert entry.plan.serially
    planned = await gql.post(log_out, token=second["token"])
    # then: the same answer, and both tokens are revoked at once
    assert (full.data, full.errors) == (planned.data, planned.errors) == ({"logOut": {"revokedTokens": 1}}, [])
    for token in (first["token"], second["token"]):
        assert (await gql.post(VIEWER, token=token)).codes == ["UNAUTHENTICATED"]
    # and the refusal of an anonymous one is the same with and without the plan
    prepared = app.state.graphql_app.schema.prepared
    planned_refusal = await gql.post(log_out)
    prepared._entries[(log_out, None)] = dataclasses.replace(entry, plan=None)
    unplanned_refusal = await gql.post(log_out)
    assert planned_refusal.codes == ["UNAUTHENTICATED"]
    assert (planned_refusal.data, planned_refusal.errors) == (unplanned_refusal.data, unplanned_refusal.errors)
