"""The thin HTTP path (graph/thin_http.py) answers what the full path answers, byte for
byte, and is taken for plain JSON POSTs of prepared documents only."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories.accounts import SIGN_UP
from tests.graphql import GraphQLClient

VIEWER = "query Viewer { viewer { id displayName } }"
BY_NAME = "query A { viewer { id } } query B { viewer { displayName } }"
LOG_OUT = "mutation LogOut($input: LogOutInput!) { logOut(input: $input) { revokedTokens userErrors { message } } }"


def _sign_up_input(n: int) -> dict[str, Any]:
    return {
        "email": f"thin-{n}@example.com", "password": "a-long-password-1", "displayName": f"Thin {n}",
        "role": "CANDIDATE",
    }


async def _both(app: Any, http: httpx.AsyncClient, body: bytes, headers: dict[str, str]) -> tuple[int, int]:
    """Send the same request on the thin path and on the full path; assert the same
    status, headers and body bytes; return how many each answered on the thin path."""
    thin = app.state.graphql_app.thin
    answers = []
    taken = []
    for enabled in (True, False):
        thin.enabled = enabled
        before = thin.taken
        response = await http.post("/graphql", content=body, headers=headers)
        taken.append(thin.taken - before)
        answers.append((response.status_code, sorted(response.headers.multi_items()), response.content))
    thin.enabled = True
    assert answers[0] == answers[1]
    return taken[0], taken[1]


async def test_thin_and_full_paths_answer_byte_identical(gql: GraphQLClient, app: Any, http: httpx.AsyncClient) -> None:
    # given: a bare sign-up, and its documents prepared by a first request each
    payload = await gql.mutate(SIGN_UP, _sign_up_input(1))
    token = payload["token"]
    signed_in = {"content-type": "application/json", "authorization": f"Bearer {token}", "x-request-id": "req-thin"}
    await gql.execute(VIEWER, token=token)
    await gql.post(BY_NAME, token=token)
    # then: prepared documents take the thin path with the full path's answer
    assert await _both(app, http, b'{"query": "%s"}' % VIEWER.encode(), signed_in) == (1, 0)
    anonymous = {"content-type": "application/json; charset=utf-8"}
    assert await _both(app, http, b'{"query": "%s", "variables": null}' % VIEWER.encode(), anonymous) == (1, 0)
    named = b'{"query": "%s", "operationName": "B"}' % BY_NAME.encode()
    await http.post("/graphql", content=named, headers=signed_in)  # prepares (BY_NAME, "B")
    assert await _both(app, http, named, signed_in) == (1, 0)
    # and a request for an unprepared operation, with extensions, another content type,
    # a body orjson refuses or variables the text rule refuses takes the full path
    unprepared = b'{"query": "%s", "operationName": "A"}' % BY_NAME.encode()
    assert (await _both(app, http, unprepared, signed_in))[0] == 0
    extensions = b'{"query": "%s", "extensions": {}}' % VIEWER.encode()
    assert await _both(app, http, extensions, signed_in) == (0, 0)
    assert await _both(app, http, b'{"query": "%s"}' % VIEWER.encode(), {"content-type": "text/plain"}) == (0, 0)
    assert await _both(app, http, b'{"query": "%s", "n": NaN}' % VIEWER.encode(), signed_in) == (0, 0)
    assert await _both(app, http, b"[1", signed_in) == (0, 0)
    refused = {"query": SIGN_UP, "variables": {"input": {**_sign_up_input(2), "displayName": "bad\x00name"}}}
    response = await http.post("/graphql", json=refused)
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # and a mutation on the thin path revokes: the next request with that token is
    # UNAUTHENTICATED on both paths, identically (the session cache was evicted)
    other = await gql.mutate(SIGN_UP, _sign_up_input(3))
    await gql.mutate(LOG_OUT, {"everywhere": False}, token=other["token"])  # prepares it
    log_out = b'{"query": "%s", "variables": {"input": {"everywhere": false}}}' % LOG_OUT.encode()
    thin = app.state.graphql_app.thin
    before = thin.taken
    first = await http.post("/graphql", content=log_out, headers=signed_in)
    assert thin.taken == before + 1
    assert first.json() == {"data": {"logOut": {"revokedTokens": 1, "userErrors": []}}}
    assert await _both(app, http, b'{"query": "%s"}' % VIEWER.encode(), signed_in) == (1, 0)
    revoked = await gql.post(VIEWER, token=token)
    assert revoked.codes == ["UNAUTHENTICATED"]
