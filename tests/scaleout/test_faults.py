"""Faults survived without a restart: PostgreSQL briefly unavailable."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse

from graph.settings import Settings
from tests.conftest import held, running_app
from tests.factories.accounts import make_candidate
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


async def test_redis_restart_mid_stream_loses_nothing(shared_env: dict[str, str]) -> None:
    """Both servers reach Redis through a proxy; cutting it is Redis going away. Messages
    sent meanwhile are committed; once Redis is back the subscriber on the other server
    receives every one, in sequence, with no gap and no duplicate."""
    import httpx

    from tests.scaleout.servers import serve
    from tests.scaleout.story import MESSAGE_ADDED, accepted_conversation, send

    target = urlparse(shared_env["BROADCAST_URL"])
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379)
    await proxy.start()
    env = {**shared_env, "BROADCAST_URL": f"redis://127.0.0.1:{proxy.port}{target.path or '/0'}"}
    try:
        async with serve(env) as a, serve(env) as b:
            async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
                on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
                candidate, employer, conversation_id, first = await accepted_conversation(on_a)
                async with on_b.websocket(token=candidate.token) as ws:
                    op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": first["id"]})
                    before = await send(on_a, employer, conversation_id, "before the outage")
                    seen = []
                    while not seen or seen[-1]["id"] != before["id"]:
                        seen.append((await ws.next(op, timeout=10))["data"]["messageAdded"])
                    # when: Redis goes away, messages are sent, Redis comes back
                    await proxy.cut()
                    during = [await send(on_a, employer, conversation_id, f"during {i}") for i in range(3)]
                    await proxy.restore()
                    after = await send(on_a, employer, conversation_id, "after the outage")
                    # then: everything arrives, in order, exactly once
                    expected = [m["id"] for m in during] + [after["id"]]
                    got = [(await ws.next(op, timeout=20))["data"]["messageAdded"] for _ in expected]
                    assert [m["id"] for m in got] == expected
                    seqs = [m["seq"] for m in seen + got]
                    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
                    await ws.expect_silence(0.5)
    finally:
        await proxy.stop()
