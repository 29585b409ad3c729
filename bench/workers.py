"""Requests/s of one GraphQL query with 1 and with 2 uvicorn workers (PostgreSQL + Redis).

    python bench/workers.py [--duration 10] [--connections 32] [--profiles 2000]

Creates a fresh PostgreSQL database (BENCH_POSTGRES_URL, default the local server),
seeds demo data, then for each worker count starts ``openforwork serve --workers N``
and drives it with ``wrk`` (``apt-get install wrk``) posting the same query with a bearer
token. Prints requests/s per worker count and the ratio. Aim: 2 workers >= 1.6x one
worker on a CPU-bound query. The load generator shares the machine's cores with the
server, so the ratio is a lower bound of what separate hosts would show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scaleout.servers import serve  # noqa: E402

PROFILES_QUERY = """
query Browse($first: Int!) {
  searchCandidates(first: $first) {
    totalCount
    edges { node { id headline countryCode yearsOfExperience skills { name level } } }
  }
}
"""
VIEWER_QUERY = "query Viewer { viewer { id displayName company { name } } }"


async def admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def wrk(url: str, body: str, token: str, duration: int, connections: int) -> float:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    script.close()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script.name, url],
        capture_output=True, text=True, check=True,
    ).stdout
    os.unlink(script.name)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses:\n{out}")
    assert match, out
    return float(match.group(1))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--query", choices=["profiles", "viewer"], default="profiles")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    name = f"ofw_bench_{uuid.uuid4().hex[:8]}"
    await admin(base, f'CREATE DATABASE "{name}"')
    database_url = base.rsplit("/", 1)[0] + f"/{name}"
    env = {"DATABASE_URL": database_url, "BROADCAST_URL": redis, "LOG_LEVEL": "WARNING",
           "ENVIRONMENT": "development"}
    try:
        subprocess.run(
            [sys.executable, "-m", "graph.cli", "seed", "--profiles", str(args.profiles), "--quiet"],
            cwd=ROOT, env={**os.environ, **env}, check=True,
        )
        results: dict[int, float] = {}
        token = None
        for workers in (1, 2):
            async with serve(env, workers=workers) as server:
                async with httpx.AsyncClient(base_url=server.url) as client:
                    if token is None:
                        email = f"bench-{uuid.uuid4().hex[:6]}@bench-corp.io"
                        signup = await client.post("/graphql", json={
                            "query": "mutation($i: SignUpInput!) { signUp(input: $i) { token userErrors { message } } }",
                            "variables": {"i": {"email": email, "password": "bench password 1",
                                                "displayName": "Bench", "role": "EMPLOYER", "companyName": "Bench Corp"}},
                        })
                        token = signup.json()["data"]["signUp"]["token"]
                    query = PROFILES_QUERY if args.query == "profiles" else VIEWER_QUERY
                    body = json.dumps({"query": query, "variables": {"first": 20}})
                    check = await client.post("/graphql", content=body, headers={
                        "content-type": "application/json", "authorization": f"Bearer {token}"})
                    assert "errors" not in check.json(), check.text
                wrk(server.graphql_url, body, token, 2, args.connections)  # warm-up
                results[workers] = wrk(server.graphql_url, body, token, args.duration, args.connections)
                print(f"workers={workers}: {results[workers]:.0f} requests/s ({args.query} query)", flush=True)
        print(f"ratio 2 workers / 1 worker: {results[2] / results[1]:.2f}x (aim >= 1.6x)")
    finally:
        await admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
