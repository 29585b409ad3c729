"""Memory soak: does a server that serves steady chat and HTTP traffic keep its size?

Starts the real server (``openforwork serve``, one process, SQLite, ``memory://``,
``DEBUG_ENDPOINTS=true``) on a fresh database seeded with one company's conversations
(``bench/chat.py``'s seed) and ``--profiles`` demo profiles, then runs, one after the
other:

1. **warm-up**: a few subscriptions, messages and each HTTP operation, so that what a
   process builds once (lazy imports, statement caches, the first parsed documents) is
   not counted as growth; then the "before" sample.
2. **chat**: ``--subscribers`` WebSockets on their own conversations plus ``--inbox``
   company-inbox subscribers, messages sent over HTTP at ``--rate`` per second for
   ``--seconds``. Growth per 1,000 deliveries over the second half of the run.
3. **leave**: every socket closes; after ``--settle`` seconds, RSS against "before".
4. **churn**: ``--cycles`` sockets that connect, subscribe, receive one message and
   complete, every tenth dropped without a close frame.
5. **HTTP mix**: ``--requests`` requests over ``--connections`` keep-alive connections,
   in turn ``viewer``, ``searchCandidates`` with facets, ``profile(handle:)`` and
   ``sendMessage``. Growth per 1,000 requests over the second half.

Every ``--sample`` seconds it records the server's RSS and open fds (``/proc/<pid>``) and,
through ``GET /debug/memory``, its live Python objects and cache sizes. Growth is the
least-squares slope of RSS against the deliveries (or requests) counted in the second
half of the phase. Bounded: every phase has a length and every wait a timeout.

    python bench/soak.py                              # 5-minute chat, 60,000 requests
    python bench/soak.py --seconds 60 --requests 10000 --cycles 200   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.chat import SECRET, SUBSCRIBE, Subscriber, open_all, post, rss_kib, seed, wait_ready  # noqa: E402
from tests.scaleout.servers import free_port  # noqa: E402

AIM_DELIVERIES_KIB = 256
AIM_REQUESTS_KIB = 64
AIM_LEAVE_RATIO = 0.10

VIEWER = "query Viewer { viewer { id displayName role company { name } } }"
SEARCH = """query Search($query: String) {
  searchCandidates(query: $query, first: 20) {
    totalCount
    facets { skills { value count } countries { value count } remotePreferences { value count } openToWork { value count } }
    edges { cursor score node { id headline displayName countryCode yearsOfExperience skills { name level } } highlights { field text } }
  }
}"""
PROFILE = "query Profile($handle: String!) { profile(handle: $handle) { id handle headline skills { name level } experience { title } } }"
WORDS = ["python", "data engineer", "senior", "kubernetes", "react", "analyst", "cloud", "machine learning"]


@dataclass
class Sample:
    seconds: float
    rss_kib: int
    fds: int
    work: int  # deliveries or requests so far
    objects: int = 0
    app_objects: int = 0
    caches: dict = field(default_factory=dict)


def fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def sample(http, pid: int, started: float, work: int) -> Sample:
    report = (await http.get("/debug/memory")).json()
    return Sample(
        time.perf_counter() - started, rss_kib(pid), fds(pid), work,
        report["objects"]["total"], sum(report["objects"]["app"].values()), report["caches"],
    )


def slope_per_1000(samples: list[Sample]) -> float:
    """KiB of RSS per 1,000 units of work: least squares over the second half (by time)."""
    if len(samples) < 3:
        return float("nan")
    end = samples[-1].seconds
    half = [s for s in samples if s.seconds >= end / 2]
    if len(half) < 2:
        half = samples[-2:]
    n = len(half)
    mx = sum(s.work for s in half) / n
    my = sum(s.rss_kib for s in half) / n
    sxx = sum((s.work - mx) ** 2 for s in half)
    if sxx == 0:
        return float("nan")
    return 1000 * sum((s.work - mx) * (s.rss_kib - my) for s in half) / sxx


async def sampled(http, pid: int, every: float, work, body) -> list[Sample]:
    """Run ``body()`` while sampling every ``every`` seconds; ``work()`` is the counter."""
    samples: list[Sample] = []
    started = time.perf_counter()
    done = asyncio.Event()

    async def sampler() -> None:
        while not done.is_set():
            samples.append(await sample(http, pid, started, work()))
            last = samples[-1]
            print(f"  {last.seconds:6.0f}s  RSS {last.rss_kib / 1024:7.1f} MiB  fds {last.fds:5d}  work {last.work:8d}  "
                  f"objects {last.objects:8d}  app objects {last.app_objects:6d}", flush=True)
            try:
                await asyncio.wait_for(done.wait(), every)
            except TimeoutError:
                pass

    task = asyncio.create_task(sampler())
    try:
        await body()
    finally:
        done.set()
        await task
    samples.append(await sample(http, pid, started, work()))
    return samples


def report(name: str, samples: list[Sample], unit: str, aim: float) -> float:
    growth = slope_per_1000(samples)
    first, last = samples[0], samples[-1]
    verdict = "ok" if growth <= aim else "ABOVE AIM"
    print(f"{name}: {last.work} {unit} in {last.seconds:.0f}s; RSS {first.rss_kib / 1024:.1f} → {last.rss_kib / 1024:.1f} MiB; "
          f"second half {growth:+.1f} KiB per 1,000 {unit} (aim ≤ {aim:.0f}: {verdict}); "
          f"objects {first.objects} → {last.objects}, app objects {first.app_objects} → {last.app_objects}")
    grown = {k: (first.caches.get(k), v) for k, v in last.caches.items() if v != first.caches.get(k)}
    if grown:
        print(f"  caches that changed: {grown}")
    return growth


async def diagnose(http, pid: int, when: str) -> None:
    """What a full collection gives back, and (under PYTHONTRACEMALLOC) where memory grew."""
    before = rss_kib(pid)
    report = (await http.get("/debug/memory", params={"collect": "1", "top": "12"})).json()
    commonest = next(iter(report["objects"]["top"]))
    held = (await http.get("/debug/memory", params={"referrers": commonest})).json()["referrers"]
    print(f"  diagnose {when}: gc.collect() → RSS {before / 1024:.1f} → {report['process']['rssKiB'] / 1024:.1f} MiB, "
          f"objects {report['objects']['total']}; caches {report['caches']}")
    trimmed = (await http.get("/debug/memory", params={"trim": "1"})).json()["process"]["rssKiB"]
    print(f"  … and malloc_trim(0) → RSS {trimmed / 1024:.1f} MiB")
    print("  top types:", report["objects"]["top"])
    for chain in held:
        print(f"  a live {commonest}:", "\n      <- ".join(chain))
    for site in report.get("allocationGrowth") or []:
        print("   ", site.replace("\n", "\n      "))


async def chat_phase(args, data, http, ws_url: str, pid: int) -> list[Sample]:
    latencies: list[float] = []
    counts: dict = {}
    conversations = data["candidates"][: args.subscribers]
    subscribers = [Subscriber(ws_url, token, conversation, latencies, counts) for token, conversation in conversations]
    inbox = [Subscriber(ws_url, data["employers"][i % len(data["employers"])], None, latencies, counts) for i in range(args.inbox)]
    await open_all(subscribers + inbox)
    await asyncio.sleep(1)
    total = int(args.rate * args.seconds)

    async def body() -> None:
        tasks = set()
        begin = time.perf_counter()
        for n in range(total):
            delay = begin + n / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            token = data["employers"][n % len(data["employers"])]
            task = asyncio.create_task(post(http, token, conversations[n % len(conversations)][1], f"t={time.time():.6f} n={n}"))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        expected = total * (1 + len(inbox))
        deadline = time.perf_counter() + 30
        while len(latencies) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)

    samples = await sampled(http, pid, args.sample, lambda: len(latencies), body)
    errors = [e for s in subscribers + inbox for e in s.errors]
    expected = total * (1 + len(inbox))
    print(f"chat: {total} messages, {len(latencies)}/{expected} deliveries, errors {len(errors)}"
          + (f" (first: {json.dumps(errors[0])[:200]})" if errors else ""))
    await asyncio.gather(*(s.close() for s in subscribers + inbox))
    return samples


async def churn_phase(args, data, http, ws_url: str) -> None:
    """Sockets that subscribe, receive one message and complete; every tenth is dropped."""
    import websockets

    token, conversation = data["candidates"][0]
    employer = data["employers"][0]
    for n in range(args.cycles):
        ws = await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"], ping_interval=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        await asyncio.wait_for(ws.recv(), 10)
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"c": conversation}}}))
        await asyncio.sleep(0.02)
        await post(http, employer, conversation, f"churn {n}")
        while json.loads(await asyncio.wait_for(ws.recv(), 10)).get("type") != "next":
            pass
        if n % 10 == 9:
            ws.transport.abort()  # an abrupt drop: no complete, no close frame
            continue
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        await ws.close()


async def http_phase(args, data, http, handles: list[str], pid: int) -> list[Sample]:
    done = 0
    employer = data["employers"][0]
    conversation = data["candidates"][0][1]
    headers = {"Authorization": f"Bearer {employer}"}
    per_worker = args.requests // args.connections

    import httpx

    async def one(n: int) -> None:
        kind = n % 4
        if kind == 3:
            await post(http, employer, conversation, f"mix {n}")
            return
        query, variables = (
            (VIEWER, {}) if kind == 0 else
            (SEARCH, {"query": WORDS[n % len(WORDS)]}) if kind == 1 else
            (PROFILE, {"handle": handles[n % len(handles)]})
        )
        response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        assert response.status_code == 200 and not response.json().get("errors"), response.text[:300]

    dropped = 0

    async def worker(w: int) -> None:
        nonlocal done, dropped
        for i in range(per_worker):
            try:
                await one(w * per_worker + i)
            except httpx.TransportError:
                # A keep-alive connection the server closed as the next request left
                # (uvicorn's timeout_keep_alive on a starved client): counted, not retried
                # (sendMessage is not idempotent here), and the run goes on.
                dropped += 1
                continue
            done += 1

    async def body() -> None:
        await asyncio.gather(*(worker(w) for w in range(args.connections)))

    samples = await sampled(http, pid, args.sample, lambda: done, body)
    if dropped:
        print(f"HTTP mix: {dropped} requests lost to closed connections (transport errors)")
    return samples


async def warm_up(args, data, http, ws_url: str, handles: list[str], pid: int) -> None:
    latencies: list[float] = []
    subscribers = [Subscriber(ws_url, token, c, latencies, {}) for token, c in data["candidates"][:10]]
    subscribers.append(Subscriber(ws_url, data["employers"][0], None, latencies, {}))
    await open_all(subscribers)
    for n in range(20):
        await post(http, data["employers"][0], data["candidates"][n % 10][1], f"t={time.time():.6f} warm {n}")
    await asyncio.sleep(1)
    await asyncio.gather(*(s.close() for s in subscribers))
    warm = argparse.Namespace(**{**vars(args), "requests": 400, "connections": 4, "sample": 3600})
    await http_phase(warm, data, http, handles, pid)


async def run(args: argparse.Namespace) -> None:
    import httpx

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    tmp = Path(tempfile.mkdtemp(prefix="ofw-soak-"))
    database_url = f"sqlite://{tmp / 'soak.sqlite3'}"
    print(f"seeding {args.subscribers} conversations and {args.profiles} profiles …", flush=True)
    data = await seed(database_url, max(args.subscribers, 10), args.employers)
    from graph.seed import seed_database
    from graph.settings import Settings

    await seed_database(Settings(database_url=database_url, secret_key=SECRET), profiles=args.profiles, seed=7, progress=False)
    with sqlite3.connect(tmp / "soak.sqlite3") as db:
        handles = [h for (h,) in db.execute("SELECT handle FROM profile WHERE visibility IN ('PUBLIC', 'EMPLOYERS') LIMIT 50")]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url, "BROADCAST_URL": "memory://", "SECRET_KEY": SECRET,
        "DEBUG_ENDPOINTS": "true", "LOG_LEVEL": "WARNING", "PORT": str(port),
        "MESSAGES_PER_MINUTE": "100000000", "COSTLY_MUTATIONS_PER_MINUTE_PER_ADDRESS": "100000000",
        "SUBSCRIBER_QUEUE_SIZE": "1000", "PYTHONPATH": str(ROOT),
    }
    openforwork = Path(sys.executable).with_name("openforwork")
    command = [str(openforwork), "serve"] if openforwork.exists() else [sys.executable, "-m", "graph.cli", "serve"]
    server = subprocess.Popen(command, env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard)))
    ws_url = f"ws://127.0.0.1:{port}/graphql"
    try:
        limits = httpx.Limits(max_connections=args.connections + 8, max_keepalive_connections=args.connections + 8)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits) as http:
            await wait_ready(http)
            pid = server.pid
            cold = rss_kib(pid)
            await warm_up(args, data, http, ws_url, handles, pid)
            await asyncio.sleep(2)
            before = await sample(http, pid, 0, 0)
            print(f"server RSS: {cold / 1024:.1f} MiB at start, {before.rss_kib / 1024:.1f} MiB after the warm-up (\"before\"), fds {before.fds}")

            print(f"chat: {args.subscribers} + {args.inbox} inbox subscribers, {args.rate:g} msg/s for {args.seconds:g}s", flush=True)
            chat = await chat_phase(args, data, http, ws_url, pid)
            chat_growth = report("chat", chat, "deliveries", AIM_DELIVERIES_KIB)
            await asyncio.sleep(args.settle)
            left = await sample(http, pid, 0, 0)
            if args.diagnose:
                await diagnose(http, pid, "after clients left")
            ratio = left.rss_kib / before.rss_kib - 1
            print(f"after every client left ({args.settle:g}s): RSS {left.rss_kib / 1024:.1f} MiB, {ratio:+.1%} against before "
                  f"(aim within {AIM_LEAVE_RATIO:.0%}: {'ok' if abs(ratio) <= AIM_LEAVE_RATIO else 'ABOVE AIM'}); fds {left.fds} (before {before.fds}); "
                  f"app objects {left.app_objects} (before {before.app_objects})")

            if args.cycles:
                started = time.perf_counter()
                await churn_phase(args, data, http, ws_url)
                await asyncio.sleep(args.settle)
                churned = await sample(http, pid, 0, 0)
                print(f"churn: {args.cycles} socket cycles in {time.perf_counter() - started:.0f}s; RSS {left.rss_kib / 1024:.1f} → "
                      f"{churned.rss_kib / 1024:.1f} MiB ({(churned.rss_kib - left.rss_kib) / args.cycles * 1000:+.0f} KiB per 1,000 cycles); "
                      f"fds {churned.fds}; app objects {churned.app_objects}; broker {churned.caches['brokerSubscriptions']} subscriptions")

            print(f"HTTP mix: {args.requests} requests over {args.connections} connections", flush=True)
            mix = await http_phase(args, data, http, handles, pid)
            http_growth = report("HTTP mix", mix, "requests", AIM_REQUESTS_KIB)
            if args.diagnose:
                await diagnose(http, pid, "after the HTTP mix")
            print(json.dumps({"chatKiBPer1000Deliveries": round(chat_growth, 1), "afterLeaveRatio": round(ratio, 4),
                              "httpKiBPer1000Requests": round(http_growth, 1)}))
    finally:
        server.terminate()
        server.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=160, help="per-conversation subscribers (default 160)")
    parser.add_argument("--inbox", type=int, default=40, help="company inbox subscribers (default 40)")
    parser.add_argument("--rate", type=float, default=20, help="messages per second in the chat phase (default 20)")
    parser.add_argument("--seconds", type=float, default=300, help="chat phase length (default 300)")
    parser.add_argument("--requests", type=int, default=60_000, help="HTTP mix requests (default 60,000)")
    parser.add_argument("--connections", type=int, default=32, help="HTTP mix connections (default 32)")
    parser.add_argument("--cycles", type=int, default=500, help="socket churn cycles (default 500; 0 skips)")
    parser.add_argument("--profiles", type=int, default=500, help="demo profiles to search (default 500)")
    parser.add_argument("--employers", type=int, default=10, help="company members sending (default 10)")
    parser.add_argument("--sample", type=float, default=10, help="seconds between samples (default 10)")
    parser.add_argument("--diagnose", action="store_true", help="after the chat and HTTP phases: a full collection, "
                        "top object types and (with PYTHONTRACEMALLOC=N) the allocation sites that grew")
    parser.add_argument("--settle", type=float, default=15, help="seconds to wait after clients leave (default 15)")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
