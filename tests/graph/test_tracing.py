"""OpenTelemetry traces through the real app, collected with the SDK's in-memory
exporter: one span per operation (named by it, with the request id), SQL and Redis
children, the parent taken from ``traceparent``; and nothing of OpenTelemetry loaded
when tracing is off."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from httpx_ws.transport import ASGIWebSocketTransport
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from graph.app import create_app
from graph.settings import Settings
from tests.conftest import held
from tests.factories.chat import send, start_chat
from tests.graphql import GraphQLClient, live_subscriptions, subscribed

ROOT = Path(__file__).resolve().parents[2]
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
SIGN_UP = "mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }"
VIEWER = "query Viewer { viewer { id } }"


@contextlib.asynccontextmanager
async def traced_app(
    settings: Settings, exporter: InMemorySpanExporter
) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    application = create_app(settings.replace(otel_endpoint="http://127.0.0.1:4318"), span_exporter=exporter)
    async with application.router.lifespan_context(application):
        async with ASGIWebSocketTransport(application) as transport:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield application, client


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


def sign_up_input() -> dict[str, object]:
    return {"input": {"email": f"t-{uuid.uuid4().hex[:8]}@mail.test", "password": "correct horse battery",
                      "displayName": "Traced Person", "role": "CANDIDATE"}}


def descendants(spans: list, root) -> list:
    ids = {root.context.span_id}
    found = []
    for span in sorted(spans, key=lambda s: s.start_time):
        if span.parent is not None and span.parent.span_id in ids:
            ids.add(span.context.span_id)
            found.append(span)
    return found


async def test_a_new_users_sign_up_is_one_span_with_sql_children_under_the_callers_trace(
    settings: Settings, exporter: InMemorySpanExporter,
) -> None:
    async with held(traced_app(settings, exporter)) as (_, http):
        # given: a caller that is itself traced
        response = await http.post(
            "/graphql",
            json={"query": SIGN_UP, "variables": sign_up_input()},
            headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01", "x-request-id": "req-signup-1"},
        )
        assert response.json()["data"]["signUp"]["userErrors"] == []
        spans = exporter.get_finished_spans()
        # then: one span for the operation, a child of the caller's span
        operations = [s for s in spans if s.name == "mutation SignUp"]
        assert len(operations) == 1
        operation = operations[0]
        assert format(operation.context.trace_id, "032x") == TRACE_ID
        assert format(operation.parent.span_id, "016x") == PARENT_ID
        assert operation.attributes["openforwork.request_id"] == "req-signup-1"
        assert operation.attributes["graphql.operation.name"] == "SignUp"
        assert operation.attributes["graphql.operation.type"] == "mutation"
        # and: its SQL statements are its children, with placeholders and no values
        sql = [s for s in descendants(spans, operation) if "db.query.text" in s.attributes]
        assert {"INSERT", "SELECT"} <= {s.name for s in sql}
        assert all(s.context.trace_id == operation.context.trace_id for s in sql)
        assert not any("Traced Person" in s.attributes["db.query.text"] for s in sql)


async def test_without_traceparent_an_operation_starts_a_trace_and_errors_mark_it(
    settings: Settings, exporter: InMemorySpanExporter,
) -> None:
    async with held(traced_app(settings, exporter)) as (_, http):
        gql = GraphQLClient(http)
        await gql.execute(VIEWER)
        failed = await gql.post("query MyConversations { conversations { totalCount } }")
        assert failed.codes == ["UNAUTHENTICATED"]
        spans = {s.name: s for s in exporter.get_finished_spans() if s.kind.name == "SERVER"}
        assert spans["query Viewer"].parent is None
        assert spans["query Viewer"].status.status_code.name == "UNSET"
        failing = spans["query MyConversations"]
        assert failing.status.status_code.name == "ERROR"
        assert failing.attributes["openforwork.error_codes"] == ("UNAUTHENTICATED",)
        assert failing.context.trace_id != spans["query Viewer"].context.trace_id


@pytest.mark.redis
async def test_redis_commands_are_children_of_the_operation(
    settings: Settings, redis_url: str, exporter: InMemorySpanExporter,
) -> None:
    on_redis = settings.replace(broadcast_url=redis_url, broadcast_channel_prefix=f"tr{uuid.uuid4().hex[:8]}:")
    async with held(traced_app(on_redis, exporter)) as (_, http):
        gql = GraphQLClient(http)
        chat = await start_chat(gql, accept=True)
        exporter.clear()
        # when: a message is sent (committed, then published through Redis)
        await send(gql, chat.employer, chat.conversation_id, "traced hello")
        spans = exporter.get_finished_spans()
        operation = next(s for s in spans if s.name.startswith("mutation") and s.kind.name == "SERVER")
        children = descendants(spans, operation)
        # then: the publish is a Redis span under the operation, beside its SQL
        assert any(s.attributes.get("db.system") == "redis" and s.name == "PUBLISH" for s in children), [
            (s.name, dict(s.attributes)) for s in children
        ]
        assert any("db.query.text" in s.attributes for s in children)


def test_tracing_off_runs_without_opentelemetry(tmp_path: Path, sqlite_template: Path) -> None:
    """The app serves a request with OpenTelemetry impossible to import."""
    database = tmp_path / "plain.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    script = textwrap.dedent(f"""
        import asyncio, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "opentelemetry" or name.startswith("opentelemetry."):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import httpx
        from graph.app import create_app
        from graph.settings import Settings

        async def main():
            app = create_app(Settings(environment="test", database_url="sqlite://{database}"))
            async with app.router.lifespan_context(app):
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
                    response = await client.post("/graphql", json={{"query": "query Viewer {{ viewer {{ id }} }}"}})
                    assert response.json() == {{"data": {{"viewer": None}}}}, response.text
            assert not [m for m in sys.modules if m.startswith("opentelemetry")]
            print("served without opentelemetry")

        asyncio.run(main())
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "served without opentelemetry" in result.stdout


async def test_operations_on_a_socket_take_the_upgrades_traceparent(
    settings: Settings, exporter: InMemorySpanExporter, caplog: pytest.LogCaptureFixture,
) -> None:
    async with held(traced_app(settings, exporter)) as (app, http):
        gql = GraphQLClient(http)
        chat = await start_chat(gql, accept=True)
        headers = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
        async with gql.websocket(token=chat.candidate.token, headers=headers) as ws:
            op = await subscribed(
                app, ws, "subscription Messages($id: ID) { messageAdded(conversationId: $id) { body } }", {"id": chat.conversation_id}
            )
            await send(gql, chat.employer, chat.conversation_id, "over the socket")
            assert (await ws.next(op))["data"]["messageAdded"]["body"] == "over the socket"
            await ws.stop(op)
            await live_subscriptions(app, 0)
        subscription = [s for s in exporter.get_finished_spans() if s.name == "subscription Messages"]
        assert len(subscription) == 1
        assert format(subscription[0].context.trace_id, "032x") == TRACE_ID
        assert not [r for r in caplog.records if "detach" in r.getMessage().lower()]


def test_spans_reach_an_otlp_http_collector(settings: Settings) -> None:
    """Without an exporter given, spans go over OTLP/HTTP to ``<endpoint>/v1/traces``
    (a collector stand-in on 127.0.0.1 decodes them)."""
    import asyncio
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            received.append((self.path, self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"

    async def run() -> None:
        application = create_app(settings.replace(otel_endpoint=endpoint))
        async with application.router.lifespan_context(application):  # shutdown flushes the batch
            async with httpx.AsyncClient(transport=httpx.ASGITransport(application), base_url="http://t") as client:
                await client.post("/graphql", json={"query": VIEWER})

    try:
        asyncio.run(run())
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _ in received] == ["/v1/traces"]
    request = ExportTraceServiceRequest.FromString(received[0][1])
    names = [span.name for rs in request.resource_spans for ss in rs.scope_spans for span in ss.spans]
    services = {a.value.string_value for rs in request.resource_spans for a in rs.resource.attributes if a.key == "service.name"}
    assert "query Viewer" in names
    assert services == {"openforwork"}
