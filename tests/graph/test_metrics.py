"""``GET /metrics``: off unless configured, bearer-protected, and every family the issue
names counts real traffic through the real app (the Grafana dashboard queries only
names that exist)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from graph.metrics import MAX_OPERATION_NAMES
from graph.settings import Settings, SettingsError
from resolvers.chat.events import conversation_channel, message_event
from tests.conftest import held, running_app
from tests.factories.chat import pk, send, start_chat
from tests.graphql import GraphQLClient, subscribed

TOKEN = "metrics-" + "t" * 24
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
SIGN_UP = "mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }"
VIEWER = "query Viewer { viewer { id } }"
CONVERSATIONS = "query MyConversations { conversations { totalCount } }"
MESSAGE_ADDED = "subscription Messages($id: ID) { messageAdded(conversationId: $id) { id body } }"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels`` (0 when none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples(text).items() if n == name and wanted <= set(ls))


async def scrape(http: httpx.AsyncClient) -> str:
    response = await http.get("/metrics", headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


@pytest.fixture
async def metered(settings: Settings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    async with held(running_app(settings.replace(metrics_token=TOKEN, subscriber_queue_size=4))) as pair:
        yield pair


async def test_metrics_are_off_unless_configured(http: httpx.AsyncClient) -> None:
    # given: the default settings (no METRICS_TOKEN)
    # then: there is no /metrics at all
    assert (await http.get("/metrics")).status_code == 404
    assert (await http.get("/metrics", headers=AUTH)).status_code == 404


async def test_metrics_need_the_bearer_token(metered: tuple[object, httpx.AsyncClient]) -> None:
    _, http = metered
    missing = await http.get("/metrics")
    wrong = await http.get("/metrics", headers={"Authorization": "Bearer " + "x" * 32})
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "openforwork_graphql_operations" not in missing.text + wrong.text
    assert (await http.get("/metrics", headers=AUTH)).status_code == 200


async def test_a_new_user_is_counted_per_operation(metered: tuple[object, httpx.AsyncClient]) -> None:
    # given: someone signs up and asks who they are, as a new user does
    _, http = metered
    gql = GraphQLClient(http)
    signed = await gql.execute(SIGN_UP, {"input": {
        "email": f"new-{uuid.uuid4().hex[:8]}@mail.test", "password": "correct horse battery",
        "displayName": "New Person", "role": "CANDIDATE"}})
    await gql.execute(VIEWER, token=signed["signUp"]["token"])
    anonymous = await gql.post(CONVERSATIONS)
    assert anonymous.codes == ["UNAUTHENTICATED"]
    # when
    text = await scrape(http)
    # then: requests and latency per operation name and type, and the error code
    assert value(text, "openforwork_graphql_operations_total", operation="SignUp", type="mutation") == 1
    assert value(text, "openforwork_graphql_operations_total", operation="Viewer", type="query") == 1
    assert value(text, "openforwork_graphql_operation_duration_seconds_count", operation="SignUp") == 1
    assert value(text, "openforwork_graphql_operation_duration_seconds_sum", operation="SignUp") > 0
    assert value(text, "openforwork_graphql_errors_total", operation="MyConversations", code="UNAUTHENTICATED") == 1
    assert value(text, "openforwork_graphql_errors_total", operation="Viewer") == 0
    assert value(text, "openforwork_worker_start_time_seconds") > 0


async def test_chat_traffic_fills_every_family_the_dashboard_queries(
    metered: tuple[object, httpx.AsyncClient],
) -> None:
    app, http = metered
    gql = GraphQLClient(http)
    chat = await start_chat(gql, accept=True)
    broker = app.state.broker
    async with gql.websocket(token=chat.candidate.token) as ws:
        op = await subscribed(app, ws, MESSAGE_ADDED, {"id": chat.conversation_id})
        # given: one open socket with one subscription
        text = await scrape(http)
        assert value(text, "openforwork_websockets_open") == 1
        assert value(text, "openforwork_subscriptions_active") == 1
        # when: a message is delivered
        sent = await send(gql, chat.employer, chat.conversation_id, "hello metrics")
        assert (await ws.next(op))["data"]["messageAdded"]["id"] == sent["id"]
        # and: a burst overflows the subscriber's queue (size 4)
        conversation = pk(chat.conversation_id)
        for seq in range(broker.queue_size + 2):
            await broker.publish(conversation_channel(conversation), message_event(conversation, 1, 1000 + seq))
        codes = []
        for _ in range(broker.queue_size + 3):  # events taken before the cut may come first
            end = await ws.receive()
            errors = end["payload"] if end["type"] == "error" else end["payload"].get("errors")
            if errors:
                codes = [e["extensions"]["code"] for e in errors]
                break
        assert codes == ["SLOW_CONSUMER"]
    # then
    text = await scrape(http)
    assert value(text, "openforwork_broker_deliveries_total") >= 2
    assert value(text, "openforwork_broker_slow_consumer_cuts_total") == 1
    assert value(text, "openforwork_broker_delivery_lag_seconds_count") >= 2
    assert value(text, "openforwork_websockets_open") == 0
    assert value(text, "openforwork_subscriptions_active") == 0
    assert value(text, "openforwork_db_pool_connections", state="open") >= 1
    assert value(text, "openforwork_db_pool_connections", state="max") >= 1
    assert value(text, "openforwork_graphql_operations_total", operation="Messages", type="subscription") == 1
    # and: every metric the Grafana dashboard queries is exported
    exported = {name for name, _ in samples(text)}
    queried = set()
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        for target in panel["targets"]:
            queried |= set(re.findall(r"\bopenforwork_[a-z_]+", target["expr"]))
    assert queried, "the dashboard queries nothing"
    assert queried - exported == set()
    assert {n.removesuffix("_total") for n in queried} >= {
        "openforwork_graphql_operations", "openforwork_graphql_errors", "openforwork_rate_limit_refusals",
        "openforwork_broker_reconnects", "openforwork_broker_deliveries", "openforwork_broker_slow_consumer_cuts",
    }


async def test_rate_limit_refusals_are_counted_by_limit(settings: Settings) -> None:
    limited = settings.replace(metrics_token=TOKEN, costly_mutations_per_minute_per_address=2)
    async with held(running_app(limited)) as (_, http):
        gql = GraphQLClient(http)
        # given: three sign-ups from one address where two are allowed per minute
        codes = []
        for n in range(3):
            response = await gql.post(SIGN_UP, {"input": {
                "email": f"r{n}-{uuid.uuid4().hex[:6]}@mail.test", "password": "correct horse battery",
                "displayName": "Rate", "role": "CANDIDATE"}})
            codes.append(response.codes)
        assert codes == [[], [], ["RATE_LIMITED"]]
        # then
        text = await scrape(http)
        assert value(text, "openforwork_rate_limit_refusals_total", limit="costly-mutations-per-address") == 1
        assert value(text, "openforwork_graphql_errors_total", operation="SignUp", code="RATE_LIMITED") == 1


async def test_operation_names_are_bounded(metered: tuple[object, httpx.AsyncClient]) -> None:
    # given: a client that invents a new operation name per request
    _, http = metered
    gql = GraphQLClient(http)
    await asyncio.gather(*(gql.execute(f"query Made{n} {{ __typename }}") for n in range(MAX_OPERATION_NAMES + 5)))
    # then: at most MAX_OPERATION_NAMES series, the rest counted as "other"
    text = await scrape(http)
    names = {dict(ls)["operation"] for (n, ls) in samples(text) if n == "openforwork_graphql_operations_total"}
    assert len(names) == MAX_OPERATION_NAMES + 1
    assert value(text, "openforwork_graphql_operations_total", operation="other") == 5


@pytest.mark.redis
async def test_broker_reconnects_are_counted(settings: Settings, redis_url: str) -> None:
    from tests.subscriptions.test_broker import _kill_pubsub

    on_redis = settings.replace(
        metrics_token=TOKEN, broadcast_url=redis_url, broadcast_channel_prefix=f"m{uuid.uuid4().hex[:8]}:"
    )
    async with held(running_app(on_redis)) as (app, http):
        broker = app.state.broker
        async with broker.subscribe("metrics-room") as subscription:
            # when: Redis drops the listener's connection
            assert await _kill_pubsub(redis_url, broker.pubsub_client_name) == 1
            assert (await asyncio.wait_for(subscription.get(), 10))["type"] == "__resync__"
            await broker.publish("metrics-room", {"n": 1})
            assert (await asyncio.wait_for(subscription.get(), 5))["n"] == 1
        # then
        text = await scrape(http)
        assert value(text, "openforwork_broker_reconnects_total") == 1
        assert value(text, "openforwork_broker_delivery_lag_seconds_count") >= 1


def test_metrics_and_tracing_settings() -> None:
    assert Settings.from_env({}).metrics_enabled is False
    on = Settings.from_env({"METRICS_TOKEN": TOKEN, "METRICS_PORT": "9464"})
    assert (on.metrics_token, on.metrics_port, on.metrics_host, on.metrics_enabled) == (TOKEN, 9464, "127.0.0.1", True)
    with pytest.raises(SettingsError, match="METRICS_TOKEN"):
        Settings.from_env({"METRICS_TOKEN": "short"})
    with pytest.raises(SettingsError, match="METRICS_PORT"):
        Settings.from_env({"METRICS_PORT": "-1"})
    assert Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}).otel_endpoint == "http://collector:4318"
    with pytest.raises(SettingsError, match="OTEL_EXPORTER_OTLP_ENDPOINT"):
        Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"})
    with pytest.raises(SettingsError, match="OTEL_EXPORTER_OTLP_PROTOCOL"):
        Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
