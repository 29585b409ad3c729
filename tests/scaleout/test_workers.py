"""Several server processes on one PostgreSQL database and one Redis."""

from __future__ import annotations

import httpx

from tests.factories import make_candidate
from tests.graphql import GraphQLClient
from tests.scaleout.servers import serve

VIEWER = "{ viewer { id } }"


async def test_two_servers_share_accounts(shared_env: dict[str, str]) -> None:
    async with serve(shared_env) as a, serve(shared_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            # given: an account made on server A
            candidate = await make_candidate(GraphQLClient(client_a))
            # then: its token works on server B
            data = await GraphQLClient(client_b).execute(VIEWER, token=candidate.token)
            assert data["viewer"]["id"] == candidate.id


async def test_serve_with_two_workers(shared_env: dict[str, str]) -> None:
    async with serve(shared_env, workers=2) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            gql = GraphQLClient(client)
            candidate = await make_candidate(gql)
            for _ in range(10):  # spread over both workers
                assert (await gql.execute(VIEWER, token=candidate.token))["viewer"]["id"] == candidate.id
