"""Chat benchmark: delivery latency, sustained rate, memory per idle subscription, fan-out.

Runs uvicorn on 127.0.0.1 (a free port) against a freshly migrated database seeded with
one company, ``--employers`` members and N candidates, each in an accepted
conversation. Then:

1. **steady**: N WebSocket subscribers (one per conversation, graphql-transport-ws)
   plus ``--inbox`` inbox subscribers of the company; messages are sent over HTTP at
   ``--rate`` per second for ``--seconds``. Prints delivery latency p50/p99, the rate
   sustained, and whether every message reached every subscriber it should (zero loss).
2. **idle memory**: server RSS growth per idle subscription (measured in phase 1).
3. **fan-out**: ``--fanout`` inbox subscribers of the company; ``--fanout-messages``
   messages are sent into one conversation; prints deliveries per second.

    python bench/chat.py                       # 1,000 subscribers, 200 msg/s, SQLite, memory://
    python bench/chat.py --redis redis://127.0.0.1:6379/0 \\
        --postgres postgres://postgres@127.0.0.1:5432/test --workers 2

``--metrics`` turns the server's ``/metrics`` on (multiprocess mode, as ``openforwork
serve`` does), cuts the server's Redis pub/sub connection once between the two runs
(with ``--redis``: the reconnect is counted) and prints the openforwork_* figures at the end.

SQLite serves one worker only (several processes writing one file fail with "database
is locked"): ``--workers 2`` requires ``--postgres``, and ``--redis`` so the workers
share events. The run is bounded (``--seconds``, timeouts on every wait).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scaleout.servers import free_port  # noqa: E402

SECRET = "bench-secret-" + "x" * 32
METRICS_TOKEN = "bench-metrics-" + "m" * 20
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { seq } userErrors { code } } }"
SUBSCRIBE = "subscription($c: ID) { messageAdded(conversationId: $c) { seq body conversation { id } } }"


def rss_kib(pid: int) -> int:
    """RSS of ``pid`` and its children (uvicorn workers), in KiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


async def seed(database_url: str, candidates: int, employers: int) -> dict:
    """Users, tokens and accepted conversations, straight through the ORM."""
    from tortoise import Tortoise

    from graph.database import apply_migrations, tortoise_config
    from graph.settings import Settings
    from models.accounts import AuthToken, Company, Role, User
    from models.chat import Conversation, ConversationStatus
    from models.profiles import Profile, SalaryPeriod
    from resolvers.accounts import TOKEN_PREFIX, token_digest

    settings = Settings(database_url=database_url, secret_key=SECRET)
    await apply_migrations(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        expires = datetime.now(timezone.utc) + timedelta(days=1)
        company = await Company.create(name="Bench Corp", invitation_code=secrets.token_urlsafe(12))
        users = [
            User(email=f"e{i}@bench.test", password_hash="x", role=Role.EMPLOYER, display_name=f"E{i}", company_id=company.pk)
            for i in range(employers)
        ] + [User(email=f"c{i}@bench.test", password_hash="x", role=Role.CANDIDATE, display_name=f"C{i}") for i in range(candidates)]
        await User.bulk_create(users, batch_size=1000)
        rows = await User.all().order_by("id").values_list("id", "role")
        employer_ids = [pk for pk, role in rows if role == Role.EMPLOYER]
        candidate_ids = [pk for pk, role in rows if role == Role.CANDIDATE]
        await Profile.bulk_create([Profile(user_id=pk, handle=f"c{pk}") for pk in candidate_ids], batch_size=1000)
        tokens: dict[int, str] = {pk: TOKEN_PREFIX + secrets.token_urlsafe(24) for pk in employer_ids + candidate_ids}
        await AuthToken.bulk_create(
            [AuthToken(user_id=pk, token_hash=token_digest(settings, raw), expires_at=expires) for pk, raw in tokens.items()],
            batch_size=1000,
        )
        await Conversation.bulk_create(
            [
                Conversation(
                    company_id=company.pk, candidate_id=pk, started_by_id=employer_ids[0], status=ConversationStatus.ACCEPTED,
                    role_title="Engineer", salary_min=1, salary_max=2, salary_currency="EUR", salary_period=SalaryPeriod.YEAR,
                )
                for pk in candidate_ids
            ],
            batch_size=1000,
        )
        conversations = dict(await Conversation.all().values_list("candidate_id", "id"))
    finally:
        await Tortoise.close_connections()
    from resolvers.ids import to_global_id

    return {
        "employers": [tokens[pk] for pk in employer_ids],
        "candidates": [(tokens[pk], to_global_id("Conversation", conversations[pk])) for pk in candidate_ids],
    }


class Subscriber:
    """One WebSocket with one ``messageAdded`` subscription; records arrival latencies."""

    def __init__(self, url: str, token: str, conversation_id: str | None, sink: list[float], counts: dict) -> None:
        self.url, self.token, self.conversation_id = url, token, conversation_id
        self.sink, self.counts = sink, counts
        self.ws = None
        self.task: asyncio.Task | None = None
        self.errors: list = []

    async def open(self) -> None:
        import websockets

        self.ws = await websockets.connect(self.url, subprotocols=["graphql-transport-ws"], max_queue=None, ping_interval=None)
        await self.ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}))
        ack = json.loads(await self.ws.recv())
        assert ack["type"] == "connection_ack", ack
        await self.ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"c": self.conversation_id}}}))
        self.task = asyncio.create_task(self.read())

    async def read(self) -> None:
        async for raw in self.ws:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") != "next":
                if message.get("type") not in {"ping", "pong"}:
                    self.errors.append(message)
                continue
            payload = message["payload"]
            if payload.get("errors"):
                self.errors.append(payload["errors"])
                continue
            added = payload["data"]["messageAdded"]
            body = added["body"]
            if body.startswith("t="):
                self.sink.append(now - float(body[2:].split()[0]))
                key = (added["conversation"]["id"], added["seq"])
                self.counts[key] = self.counts.get(key, 0) + 1

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.ws is not None:
            await self.ws.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def open_all(subscribers: list[Subscriber], concurrency: int = 100) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def one(s: Subscriber) -> None:
        async with semaphore:
            await s.open()

    await asyncio.wait_for(asyncio.gather(*(one(s) for s in subscribers)), 120)


async def run(args: argparse.Namespace) -> None:
    import httpx

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    tmp = Path(tempfile.mkdtemp(prefix="ofw-bench-"))
    if args.postgres:
        import asyncpg

        name = f"ofw_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(args.postgres.replace("postgres://", "postgresql://", 1))
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        base, _, _ = args.postgres.rpartition("/")
        database_url = f"{base}/{name}"
    else:
        database_url = f"sqlite://{tmp / 'bench.sqlite3'}"
    print(f"seeding {args.subscribers} conversations ({'PostgreSQL' if args.postgres else 'SQLite'}) …", flush=True)
    data = await seed(database_url, max(args.subscribers, 1), args.employers)
    port = free_port()
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    metrics_env = {}
    if args.metrics:
        # A queue of 100 (not 1000): the misuse run's stalled subscriber is cut sooner; the
        # steady and fan-out runs stay far below it.
        metrics_env = {"METRICS_TOKEN": METRICS_TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"), "SUBSCRIBER_QUEUE_SIZE": "100"}
        (tmp / "metrics").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BROADCAST_URL": args.redis or "memory://",
        "BROADCAST_CHANNEL_PREFIX": prefix,
        "SECRET_KEY": SECRET,
        "MESSAGES_PER_MINUTE": "100000000",
        "COSTLY_MUTATIONS_PER_MINUTE_PER_ADDRESS": "100000000",
        "MAX_SUBSCRIPTIONS_PER_CONNECTION": "10",
        "SUBSCRIBER_QUEUE_SIZE": "1000",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **metrics_env,
    }
    command = [
        sys.executable, "-m", "uvicorn", "graph.app:app_from_env", "--factory", "--host", "127.0.0.1", "--port", str(port),
        "--ws", "websockets-sansio", "--ws-per-message-deflate", os.environ.get("WS_PER_MESSAGE_DEFLATE", "false"), "--http", "httptools", "--loop", "uvloop", "--log-level", "warning", "--no-access-log", "--workers", str(args.workers),
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard)))
    base_url = f"http://127.0.0.1:{port}"
    ws_url = f"ws://127.0.0.1:{port}/graphql"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)) as http:
            await wait_ready(http)
            await steady(args, data, http, ws_url, server.pid)
            if args.metrics and args.redis:
                await cut_pubsub(args.redis, prefix)
            await fanout(args, data, http, ws_url)
            if args.metrics:
                await misuse(data, base_url, ws_url, port)
                await print_metrics(base_url)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if args.postgres:
            import asyncpg

            admin = await asyncpg.connect(args.postgres.replace("postgres://", "postgresql://", 1))
            await admin.execute(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')
            await admin.close()


async def wait_ready(http, seconds: float = 20) -> None:
    """Until ``/readyz`` answers 200 (the server migrated, connected and listens)."""
    import httpx

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            if (await http.get("/readyz")).status_code == 200:
                await asyncio.sleep(0.5)
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("server did not become ready")


async def cut_pubsub(redis_url: str, prefix: str) -> None:
    """Drop this run's pub/sub connections (found by their CLIENT SETNAME) and wait until
    the server has re-subscribed."""
    import redis.asyncio as redis

    name = "ofw-pubsub-" + "".join(ch if ch.isalnum() else "-" for ch in prefix)
    admin = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        killed = [c["id"] for c in await admin.client_list() if c.get("name") == name]
        for client_id in killed:
            await admin.execute_command("CLIENT", "KILL", "ID", client_id)
        for _ in range(100):
            await asyncio.sleep(0.1)
            if len([c for c in await admin.client_list() if c.get("name") == name]) >= len(killed):
                break
        print(f"cut {len(killed)} pub/sub connection(s); reconnected")
    finally:
        await admin.aclose()


async def misuse(data, base_url: str, ws_url: str, port: int) -> None:
    """``--metrics`` only: what a healthy run never does, so that the error, refusal and
    SLOW_CONSUMER families have figures too. Bounded: at most 1,000 messages. Measured here:
    a client that stops reading is not cut by SLOW_CONSUMER within that (its backlog sits
    in the kernel's socket buffers, megabytes on loopback); uvicorn's ping timeout closes it
    after ~40 s. The cut happens when events arrive faster than a subscription handles them. A fresh
    client: the steady run's idle keep-alive connections may be closing."""
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)) as http:
        await _misuse(data, http, ws_url, port)


async def _misuse(data, http, ws_url: str, port: int) -> None:
    import socket

    import websockets

    for _ in range(3):  # UNAUTHENTICATED
        await http.post("/graphql", json={"query": "query Inbox { conversations { totalCount } }"})
    for _ in range(12):  # failed sign-ins past LOGIN_ATTEMPTS_PER_WINDOW: RATE_LIMITED
        await http.post("/graphql", json={"query": 'mutation LogIn { logIn(input: {email: "nobody@bench.test", password: "wrong-password"}) { token } }'})
    # A subscriber that stops reading, with a 4 KiB receive buffer: the server's queue fills.
    token, conversation = data["candidates"][0]
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    ws = await websockets.connect(ws_url, sock=sock, subprotocols=["graphql-transport-ws"], max_queue=1, ping_interval=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    await ws.recv()
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"c": conversation}}}))
    await asyncio.sleep(0.5)
    sent, cut = 0, False
    while sent < 1000 and not cut:
        await asyncio.gather(*(post(http, data["employers"][0], conversation, f"slow {sent + i}") for i in range(50)))
        sent += 50
        text = (await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})).text
        cut = any(line.startswith("openforwork_broker_slow_consumer_cuts_total") and not line.endswith(" 0.0") for line in text.splitlines())
    print(f"misuse: 3 unauthenticated queries, 12 failed sign-ins, {sent} messages to a subscriber that stopped reading (cut: {cut})")
    sock.close()


async def print_metrics(base_url: str) -> None:
    """The server's openforwork_* figures (histograms as count and sum)."""
    import httpx

    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    response.raise_for_status()
    print(f"GET /metrics ({len(response.text.splitlines())} lines; openforwork_* samples, buckets left out):")
    for line in response.text.splitlines():
        if line.startswith("openforwork_") and "_bucket{" not in line:
            print("  " + line)


async def post(http, token: str, conversation_id: str, body: str) -> None:
    response = await http.post(
        "/graphql", json={"query": SEND, "variables": {"input": {"conversationId": conversation_id, "body": body}}},
        headers={"Authorization": f"Bearer {token}"},
    )
    payload = response.json()
    assert not payload.get("errors") and not payload["data"]["sendMessage"]["userErrors"], payload


async def steady(args, data, http, ws_url: str, server_pid: int) -> None:
    latencies: list[float] = []
    counts: dict = {}
    rss_before = rss_kib(server_pid)
    subscribers = [Subscriber(ws_url, token, conversation, latencies, counts) for token, conversation in data["candidates"][: args.subscribers]]
    inbox = [Subscriber(ws_url, data["employers"][i % len(data["employers"])], None, latencies, counts) for i in range(args.inbox)]
    started = time.perf_counter()
    await open_all(subscribers + inbox)
    await asyncio.sleep(2)
    rss_after = rss_kib(server_pid)
    print(f"opened {len(subscribers)} + {len(inbox)} inbox subscriptions in {time.perf_counter() - started:.1f}s")
    idle = (rss_after - rss_before) / max(1, len(subscribers) + len(inbox))
    print(f"server RSS per idle subscription (one WebSocket each): {idle:.1f} KiB ({rss_before // 1024} → {rss_after // 1024} MiB)")

    total = int(args.rate * args.seconds)
    conversations = [c for _, c in data["candidates"][: args.subscribers]]
    tasks = []
    begin = time.perf_counter()
    for n in range(total):
        target = begin + n / args.rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        token = data["employers"][n % len(data["employers"])]
        tasks.append(asyncio.create_task(post(http, token, conversations[n % len(conversations)], f"t={time.time():.6f} n={n}")))
    await asyncio.gather(*tasks)
    sent_for = time.perf_counter() - begin
    expected = total * (1 + len(inbox))
    deadline = time.perf_counter() + 15
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    errors = [e for s in subscribers + inbox for e in s.errors]
    lost = expected - len(latencies)
    per_sub = [l for l in latencies]
    print(
        f"steady: {total} messages in {sent_for:.1f}s ({total / sent_for:.0f} msg/s sent), {len(latencies)}/{expected} deliveries, "
        f"lost {lost}, errors {len(errors)}"
    )
    print(f"  delivery latency p50 {percentile(per_sub, 50) * 1000:.1f} ms, p99 {percentile(per_sub, 99) * 1000:.1f} ms, max {max(per_sub, default=0) * 1000:.1f} ms")
    if errors:
        print("  first error:", errors[0])
    await asyncio.gather(*(s.close() for s in subscribers + inbox))


async def fanout(args, data, http, ws_url: str) -> None:
    if args.fanout <= 0:
        return
    latencies: list[float] = []
    counts: dict = {}
    inbox = [Subscriber(ws_url, data["employers"][i % len(data["employers"])], None, latencies, counts) for i in range(args.fanout)]
    await open_all(inbox)
    await asyncio.sleep(1)
    conversation = data["candidates"][0][1]
    expected = args.fanout * args.fanout_messages
    begin = time.perf_counter()
    for n in range(args.fanout_messages):
        await post(http, data["employers"][0], conversation, f"t={time.time():.6f} fan={n}")
    deadline = time.perf_counter() + 60
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - begin
    errors = [e for s in inbox for e in s.errors]
    print(
        f"fan-out: {args.fanout_messages} events × {args.fanout} inbox subscribers = {len(latencies)}/{expected} deliveries "
        f"in {elapsed:.2f}s → {len(latencies) / elapsed:.0f} deliveries/s; p99 latency {percentile(latencies, 99) * 1000:.0f} ms; errors {len(errors)}"
    )
    await asyncio.gather(*(s.close() for s in inbox))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=1000, help="per-conversation subscribers (default 1000)")
    parser.add_argument("--inbox", type=int, default=10, help="inbox subscribers during the steady run (default 10)")
    parser.add_argument("--rate", type=float, default=200, help="messages per second (default 200)")
    parser.add_argument("--seconds", type=float, default=10, help="steady run length (default 10)")
    parser.add_argument("--employers", type=int, default=50, help="company members sending (default 50)")
    parser.add_argument("--fanout", type=int, default=1000, help="inbox subscribers in the fan-out run (default 1000; 0 skips)")
    parser.add_argument("--fanout-messages", type=int, default=20, help="events in the fan-out run (default 20)")
    parser.add_argument("--redis", help="BROADCAST_URL, e.g. redis://127.0.0.1:6379/0 (default memory://)")
    parser.add_argument("--postgres", help="PostgreSQL server URL; a fresh database is created and dropped")
    parser.add_argument("--metrics", action="store_true", help="serve /metrics and print its figures at the end")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (more than 1 needs --postgres and --redis)")
    args = parser.parse_args()
    if args.workers > 1 and not args.postgres:
        parser.error("SQLite serves one worker only (several processes fail with 'database is locked'): add --postgres")
    if args.workers > 1 and not args.redis:
        parser.error("several workers share events through Redis: add --redis")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
