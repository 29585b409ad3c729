"""Chat benchmark: delivery latency, sustained rate, memory per idle subscription, fan-out.

Runs uvicorn on 127.0.0.1 (a free port) against a freshly migrated database seeded with
one company, ``--employers`` members and N candidates, each in an accepted
conversation. Then:

1. **steady**: N WebSocket subscribers (one per conversation, graphql-transport-ws)
   plus ``--inbox`` inbox subscribers of the company; messages are sent over HTTP at
   ``--rate`` per second for ``--seconds``. Prints delivery latency p50/p99, the rate
   sustained, and whether every message reached every subscriber it should (zero loss).
   With ``--mixed``, a realistic mix instead: 1–3 subscribers per conversation (the
   candidate and 0–2 company members), every other message written by the candidate,
   and ``--typing-rate`` typing events per second besides.
   Prints the server's CPU time (from /proc/<pid>/stat) per message sent and per delivery.
2. **idle memory**: server RSS growth per idle subscription (measured in phase 1).
3. **fan-out**: ``--fanout`` inbox subscribers of the company; ``--fanout-messages``
   messages are sent into one conversation; prints deliveries per second and the
   server's CPU time per delivery (the figure to compare on a shared machine; the run
   starts once the server is idle). ``--profile FILE`` records the server with py-spy
   (raw collapsed stacks) during the fan-out. Then its floor, side by side: the same
   clients and events against a bare Starlette WebSocket app (``bench/fanout_floor.py``;
   ``--no-floor`` skips it).

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
TYPING = "mutation($input: SendTypingIndicatorInput!) { sendTypingIndicator(input: $input) { userErrors { code } } }"
SUBSCRIBE = "subscription($c: ID) { messageAdded(conversationId: $c) { seq body conversation { id } } }"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its children (uvicorn workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


async def settle(pid: int, seconds: float = 120) -> None:
    """Until the server is idle (under 5% of a core over half a second): the opening of
    subscriptions must not count as, or be profiled as, their deliveries."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before < 0.025:
            return


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
        now = datetime.now(timezone.utc)
        expires = now + timedelta(days=1)
        company = await Company.create(name="Bench Corp", invitation_code=secrets.token_urlsafe(12))
        users = [
            User(email=f"e{i}@bench.test", password_hash="x", role=Role.EMPLOYER, display_name=f"E{i}", company_id=company.pk,
                 email_confirmed_at=now)
            for i in range(employers)
        ] + [User(email=f"c{i}@bench.test", password_hash="x", role=Role.CANDIDATE, display_name=f"C{i}", email_confirmed_at=now)
            for i in range(candidates)
        ]
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


async def run(args: argparse.Namespace, server_root: Path = ROOT) -> None:
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
        "MAX_WEBSOCKETS_PER_USER": "100000",  # --mixed: each employer watches many conversations
        "SUBSCRIBER_QUEUE_SIZE": "1000",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(server_root),
        **metrics_env,
    }
    command = [
        sys.executable, "-m", "uvicorn", "graph.app:app_from_env", "--factory", "--host", "127.0.0.1", "--port", str(port),
        "--ws", "websockets-sansio", "--ws-per-message-deflate", os.environ.get("WS_PER_MESSAGE_DEFLATE", "false"), "--http", "httptools", "--loop", "uvloop", "--log-level", "warning", "--no-access-log", "--workers", str(args.workers),
    ]
    server = subprocess.Popen(command, env=env, cwd=server_root, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard)))
    base_url = f"http://127.0.0.1:{port}"
    ws_url = f"ws://127.0.0.1:{port}/graphql"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)) as http:
            await wait_ready(http)
            await steady(args, data, http, ws_url, server.pid)
            if args.metrics and args.redis:
                await cut_pubsub(args.redis, prefix)
            await fanout(args, data, http, ws_url, server.pid)
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


async def typing(http, token: str, conversation_id: str) -> None:
    response = await http.post(
        "/graphql", json={"query": TYPING, "variables": {"input": {"conversationId": conversation_id}}},
        headers={"Authorization": f"Bearer {token}"},
    )
    payload = response.json()
    assert not payload.get("errors") and not payload["data"]["sendTypingIndicator"]["userErrors"], payload


async def steady(args, data, http, ws_url: str, server_pid: int) -> None:
    latencies: list[float] = []
    counts: dict = {}
    rss_before = rss_kib(server_pid)
    subscribers = [Subscriber(ws_url, token, conversation, latencies, counts) for token, conversation in data["candidates"][: args.subscribers]]
    watchers = {conversation: 1 for _, conversation in data["candidates"][: args.subscribers]}
    if args.mixed:
        # 1-to-1 conversations with 1–3 subscribers each: the candidate, and 0–2 company members.
        for i, (_, conversation) in enumerate(data["candidates"][: args.subscribers]):
            for j in range(i % 3):
                employer = data["employers"][(i + j) % len(data["employers"])]
                subscribers.append(Subscriber(ws_url, employer, conversation, latencies, counts))
                watchers[conversation] += 1
    inbox = [Subscriber(ws_url, data["employers"][i % len(data["employers"])], None, latencies, counts) for i in range(args.inbox)]
    started = time.perf_counter()
    await open_all(subscribers + inbox)
    await asyncio.sleep(2)
    rss_after = rss_kib(server_pid)
    print(f"opened {len(subscribers)} + {len(inbox)} inbox subscriptions in {time.perf_counter() - started:.1f}s")
    idle = (rss_after - rss_before) / max(1, len(subscribers) + len(inbox))
    print(f"server RSS per idle subscription (one WebSocket each): {idle:.1f} KiB ({rss_before // 1024} → {rss_after // 1024} MiB)")

    total = int(args.rate * args.seconds)
    typings = int(args.typing_rate * args.seconds) if args.mixed else 0
    await settle(server_pid)
    cpu_before = cpu_seconds(server_pid)
    candidates = data["candidates"][: args.subscribers]
    conversations = [c for _, c in candidates]
    tasks = []
    expected = 0
    # Messages and typing events, interleaved on one clock.
    schedule = sorted([(n / args.rate, "message", n) for n in range(total)] + [(n / args.typing_rate, "typing", n) for n in range(typings)])
    begin = time.perf_counter()
    for at, kind, n in schedule:
        delay = begin + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if kind == "typing":
            token, conversation = candidates[(n * 7) % len(candidates)]
            tasks.append(asyncio.create_task(typing(http, token, conversation)))
            continue
        conversation = conversations[n % len(conversations)]
        if args.mixed and n % 2:
            token = candidates[n % len(candidates)][0]  # every other message: the candidate answers
        else:
            token = data["employers"][n % len(data["employers"])]
        expected += watchers[conversation] + len(inbox)
        tasks.append(asyncio.create_task(post(http, token, conversation, f"t={time.time():.6f} n={n}")))
    await asyncio.gather(*tasks)
    sent_for = time.perf_counter() - begin
    deadline = time.perf_counter() + 15
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    cpu = cpu_seconds(server_pid) - cpu_before
    errors = [e for s in subscribers + inbox for e in s.errors]
    lost = expected - len(latencies)
    per_sub = list(latencies)
    if typings:
        print(f"steady: {typings} typing events besides the messages ({args.typing_rate:g}/s)")
    print(
        f"steady: {total} messages in {sent_for:.1f}s ({total / sent_for:.0f} msg/s sent), {len(latencies)}/{expected} deliveries, "
        f"lost {lost}, errors {len(errors)}"
    )
    print(f"  delivery latency p50 {percentile(per_sub, 50) * 1000:.1f} ms, p99 {percentile(per_sub, 99) * 1000:.1f} ms, max {max(per_sub, default=0) * 1000:.1f} ms")
    print(f"  server CPU {cpu:.2f}s: {cpu / max(1, total) * 1e6:.0f} µs per message sent, {cpu / max(1, len(latencies)) * 1e6:.0f} µs per delivery (both sides together)")
    if errors:
        print("  first error:", errors[0])
    await asyncio.gather(*(s.close() for s in subscribers + inbox))


async def fanout(args, data, http, ws_url: str, server_pid: int) -> None:
    if args.fanout <= 0:
        return
    latencies: list[float] = []
    counts: dict = {}
    inbox = [Subscriber(ws_url, data["employers"][i % len(data["employers"])], None, latencies, counts) for i in range(args.fanout)]
    await open_all(inbox)
    await asyncio.sleep(1)
    conversation = data["candidates"][0][1]
    expected = args.fanout * args.fanout_messages
    await settle(server_pid)
    spy = None
    if args.profile:
        spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server_pid), "--format", "raw", "--output", args.profile, "--rate", "200", "--nonblocking"])
        await asyncio.sleep(1)
    cpu_before = cpu_seconds(server_pid)
    begin = time.perf_counter()
    for n in range(args.fanout_messages):
        await post(http, data["employers"][0], conversation, f"t={time.time():.6f} fan={n}")
    deadline = time.perf_counter() + 60
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - begin
    cpu = cpu_seconds(server_pid) - cpu_before
    if spy is not None:
        spy.send_signal(2)
        spy.wait(timeout=30)
    errors = [e for s in inbox for e in s.errors]
    print(
        f"fan-out: {args.fanout_messages} events × {args.fanout} inbox subscribers = {len(latencies)}/{expected} deliveries "
        f"in {elapsed:.2f}s → {len(latencies) / elapsed:.0f} deliveries/s; p99 latency {percentile(latencies, 99) * 1000:.0f} ms; errors {len(errors)}"
    )
    print(f"  server CPU {cpu:.2f}s: {cpu / max(1, len(latencies)) * 1e6:.0f} µs per delivery → {len(latencies) / max(cpu, 1e-9):.0f} deliveries per CPU-second")
    await asyncio.gather(*(s.close() for s in inbox))
    if args.floor:
        from bench.fanout_floor import run_floor

        floor_rate, floor_cpu = await run_floor(args.fanout, args.fanout_messages)
        print(
            f"  fan-out vs its floor: {len(latencies) / elapsed / max(floor_rate, 1e-9):.2f}× the deliveries/s, "
            f"{cpu / max(1, len(latencies)) * 1e6 / max(floor_cpu, 1e-9):.1f}× the CPU per delivery"
        )


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
    parser.add_argument(
        "--mixed", action="store_true",
        help="realistic steady load: 1–3 subscribers per conversation (candidate and company members), half the messages from candidates, typing events",
    )
    parser.add_argument("--typing-rate", type=float, default=50, help="with --mixed: typing events per second (default 50)")
    parser.add_argument(
        "--baseline-root",
        help="a checkout (e.g. /work/main) whose server runs the same benchmark first, for a side-by-side comparison in one run",
    )
    parser.add_argument(
        "--no-floor", dest="floor", action="store_false",
        help="skip the fan-out floor (bench/fanout_floor.py: a bare Starlette WebSocket app, same clients) run after the fan-out",
    )
    parser.add_argument("--profile", help="py-spy raw (collapsed) stacks of the server during the fan-out run into this file")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (more than 1 needs --postgres and --redis)")
    args = parser.parse_args()
    if args.workers > 1 and not args.postgres:
        parser.error("SQLite serves one worker only (several processes fail with 'database is locked'): add --postgres")
    if args.workers > 1 and not args.redis:
        parser.error("several workers share events through Redis: add --redis")
    if args.baseline_root:
        # The same runs against the server code of another checkout (e.g. main), then
        # this tree's, one after the other in this one invocation.
        for label, root in (("BASELINE " + args.baseline_root, Path(args.baseline_root).resolve()), ("THIS TREE " + str(ROOT), ROOT)):
            print(f"=== {label}", flush=True)
            asyncio.run(run(args, root))
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
