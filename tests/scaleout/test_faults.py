"""Faults survived without a restart: PostgreSQL briefly unavailable."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse

import pytest

from graph.settings import Settings
from tests.conftest import held, running_app
from tests.factories import make_candidate
from tests.graphql import GraphQLClient
from tests.scaleout.tcp_proxy import TcpProxy

VIEWER = "{ viewer { id } }"


async def test_postgres_briefly_unavailable(settings: Settings) -> None:
    # given: the app reaches PostgreSQL through a proxy we can cut
    target = urlparse(settings.database_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    proxied = urlunparse(target._replace(netloc=f"{target.username or 'postgres'}@127.0.0.1:{proxy.port}"))
    async with held(running_app(settings.replace(database_url=proxied))) as (_, client):
        gql = GraphQLClient(client)
        candidate = await make_candidate(gql)
        assert (await gql.execute(VIEWER, token=candidate.token))["viewer"]["id"] == candidate.id
        # when: the database goes away
        await proxy.cut()
        ready = await client.get("/readyz")
        during = await gql.post(VIEWER, token=candidate.token)
        # then: readiness says so and requests fail cleanly (no 500, a masked error)
        assert ready.status_code == 503
        assert ready.json()["database"].startswith("unavailable")
        assert during.status_code == 503
        assert during.codes == ["SERVICE_UNAVAILABLE"]
        anonymous = await gql.post(VIEWER)
        assert anonymous.status_code == 200 and anonymous.data == {"viewer": None}
        # a write that reaches the database during the outage: masked, but says "retry"
        sign_up = await gql.post(
            'mutation { signUp(input: {email: "x@y.io", password: "long enough pw", displayName: "X", role: CANDIDATE}) { token } }'
        )
        assert sign_up.codes == ["SERVICE_UNAVAILABLE"]
        # when: it comes back, the service recovers without a restart
        await proxy.restore()
        for _ in range(20):
            if (await client.get("/readyz")).status_code == 200:
                break
        assert (await client.get("/readyz")).status_code == 200
        assert (await gql.execute(VIEWER, token=candidate.token))["viewer"]["id"] == candidate.id
    await proxy.stop()
