"""A document already parsed and validated runs on graphql-core directly (issue 17,
graph/prepared.py); every behaviour of the full path stays on the second request."""

from __future__ import annotations

import json
import logging
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
