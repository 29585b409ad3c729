"""EXPLAIN (ANALYZE, BUFFERS) of every statement the five benchmark searches issue.

    .venv/bin/python -m bench.search_explain --database postgres://postgres@127.0.0.1:5432/ofw_bench_search_XXXX

Point it at a database kept by ``bench.search_postgres --keep``. It runs each search of
``bench.search.SEARCHES`` once through the real app (capturing the SQL exactly as the
resolvers issue it), then prints each statement's time and, with ``--plans``, its plan.
``docs/search-plans.md`` quotes its output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from typing import Any

from bench.search import BENCH_SETTINGS_EXTRA, SEARCH, SEARCHES


async def _employer(http: Any) -> dict[str, str]:
    """A new employer per run (the kept database already has bench.search's)."""
    import secrets

    signup = await http.post("/graphql", json={
        "query": "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
        "variables": {"i": {"email": f"explain-{secrets.token_hex(4)}@bench.io", "password": "correct horse battery",
                            "displayName": "Explain", "role": "EMPLOYER", "companyName": "Explain"}},
    })
    return {"Authorization": f"Bearer {signup.json()['data']['signUp']['token']}"}


async def run(url: str, plans: bool, only: str | None) -> None:
    import asyncpg
    import httpx
    from tortoise.backends.asyncpg.client import AsyncpgDBClient

    from graph.app import create_app
    from graph.database import apply_migrations, tortoise_config
    from graph.settings import Settings

    settings = Settings(environment="test", database_url=url, extra=BENCH_SETTINGS_EXTRA)
    await apply_migrations(settings)
    server_settings = tortoise_config(settings)["connections"]["default"]["credentials"].get("server_settings")
    raw = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), server_settings=server_settings)
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
                headers = await _employer(http)
                for name, variables in SEARCHES:
                    if only and only not in name:
                        continue
                    captured: list[tuple[str, list[Any]]] = []
                    originals = AsyncpgDBClient.execute_query_dict

                    async def rec(self, query, values=None, _o=originals, captured=captured):
                        captured.append((query, list(values or [])))
                        return await _o(self, query, values)

                    AsyncpgDBClient.execute_query_dict = rec
                    try:
                        await http.post("/graphql", json={"query": SEARCH, "variables": variables}, headers=headers)
                    finally:
                        AsyncpgDBClient.execute_query_dict = originals
                    print(f"\n## {name}: {json.dumps(variables)}")
                    for query, values in captured:
                        if "auth_token" in query or query.startswith("EXPLAIN"):
                            continue
                        await raw.fetch(query, *values)  # warm
                        t0 = time.perf_counter()
                        await raw.fetch(query, *values)
                        elapsed = (time.perf_counter() - t0) * 1000
                        print(f"\n{elapsed:8.1f} ms  {query[:160]}")
                        if plans:
                            rows = await raw.fetch("EXPLAIN (ANALYZE, BUFFERS) " + query, *values)
                            print("\n".join("    " + r[0] for r in rows))
    finally:
        await raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, metavar="URL", help="a database kept by bench.search_postgres --keep")
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of each statement")
    parser.add_argument("--only", help="only searches whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    asyncio.run(run(args.database.replace("postgresql://", "postgres://", 1), args.plans, args.only))


if __name__ == "__main__":
    main()
