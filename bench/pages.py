"""What the page benchmarks (profiles_page.py, pipeline_page.py) share: a GraphQL page timed
against a hand-written SQL + ``json`` endpoint answering the same document.

``run`` does the common part: a fresh SQLite file (or ``--database-url``) migrated, the
real app with its lifespan running, an in-process httpx client over ASGITransport, an
employer signed up through the API, a warm-up that checks both sides answer exactly the
same document, the timing loop (the sides alternating run by run) and the printed
medians and ratios. A benchmark gives its seeding, its GraphQL document and a ``prepare``
step returning the ``Page`` to time (its variables and its hand-written side). The SQL
helpers the hand-written sides share (placeholders, ISO dates, the token's employer) are
here too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from tortoise import connections

from graph.app import create_app
from graph.database import apply_migrations
from graph.settings import Settings
from models.accounts import Role, User
from models.chat import Conversation, ConversationStatus
from models.profiles import Profile, SalaryPeriod
from resolvers.accounts import token_digest

SIGN_UP = """
mutation($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }
"""
DOMAIN = "benchcorp.test"
Side = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Employer:
    """The bench company's employer, signed up through the API."""

    settings: Settings
    token: str
    user: User


@dataclass(frozen=True)
class Page:
    """What one benchmark times: the root field and variables of its GraphQL document, the
    hand-written side answering the same JSON, and how many edges the page must hold."""

    field: str
    variables: dict[str, Any]
    by_hand: Callable[[], Awaitable[str]]
    edges: int


async def seed_candidates(count: int) -> list[User]:
    """``count`` candidates (``bench{n}@mail.test``, "Bench Person {n}"), in id order."""
    await User.bulk_create(
        [User(email=f"bench{n}@mail.test", password_hash="x", role=Role.CANDIDATE, display_name=f"Bench Person {n}")
         for n in range(count)],
        batch_size=500,
    )
    return await User.filter(email__startswith="bench").order_by("id")


async def accept_contacts(company_id: int, profiles: list[Profile]) -> None:
    """Each of these candidates accepted the company's contact request (identity shown)."""
    await Conversation.bulk_create([
        Conversation(company_id=company_id, candidate_id=p.user_id, status=ConversationStatus.ACCEPTED,
                     role_title="Engineer", salary_min=1, salary_max=2, salary_currency="EUR",
                     salary_period=SalaryPeriod.YEAR)
        for p in profiles
    ])


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """The options every page benchmark takes; a benchmark adds its own before parsing."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--first", type=int, default=50)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp dir")
    return parser


def placeholders(postgres: bool, count: int, start: int = 1) -> str:
    return ", ".join(f"${i}" if postgres else "?" for i in range(start, start + count))


def iso(value: Any) -> str | None:
    """SQLite hands back text, PostgreSQL date/datetime objects: the API's ISO form either way."""
    if value is None:
        return None
    if isinstance(value, str):
        return (datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)).isoformat()
    return value.isoformat()


def json_list(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def employer_viewer(db: Any, pg: bool, settings: Settings, token: str) -> dict[str, Any]:
    """The token's employer and company (``company_id``, ``verified``, ``domain``), as the
    app authenticates it; PermissionError otherwise."""
    rows = await db.execute_query_dict(
        "SELECT t.revoked_at, t.expires_at, u.role, u.deleted_at, c.id AS company_id, c.verified, c.domain"
        " FROM auth_token t JOIN \"user\" u ON u.id = t.user_id LEFT JOIN company c ON c.id = u.company_id"
        f" WHERE t.token_hash = {placeholders(pg, 1)}",
        [token_digest(settings, token)],
    )
    if not rows or rows[0]["revoked_at"] is not None or rows[0]["deleted_at"] is not None:
        raise PermissionError("unauthenticated")
    if rows[0]["role"] != "EMPLOYER" or rows[0]["company_id"] is None:
        raise PermissionError("forbidden")
    return dict(rows[0])


def database() -> tuple[Any, bool]:
    """The app's connection, and whether it speaks PostgreSQL (``$1``) or SQLite (``?``)."""
    db = connections.get("default")
    return db, db.capabilities.dialect == "postgres"


async def timed(first: Side, second: Side, runs: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Alternate the two sides run by run, so both see the same machine load. Wall-clock
    and process CPU time (this process, the SQLite thread included) of each run: on a
    shared machine the CPU time says what a request costs, the wall-clock what it waited."""
    samples: tuple[list[float], list[float], list[float], list[float]] = ([], [], [], [])
    for _ in range(runs):
        for fn, into, cpu in ((first, samples[0], samples[2]), (second, samples[1], samples[3])):
            start, start_cpu = time.perf_counter(), time.process_time()
            await fn()
            into.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return samples


@asynccontextmanager
async def _served(url: str, seed: Callable[[], Awaitable[None]]) -> AsyncIterator[tuple[httpx.AsyncClient, Employer]]:
    """The migrated database, seeded; the app with its lifespan running; a client over
    ASGITransport; the employer of Bench Corp signed up through the API."""
    settings = Settings(environment="test", database_url=url, extra={"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"})
    await apply_migrations(settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await seed()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            signed = await client.post("/graphql", json={"query": SIGN_UP, "variables": {"input": {
                "email": f"boss@{DOMAIN}", "password": "correct horse battery", "displayName": "Boss",
                "role": "EMPLOYER", "companyName": "Bench Corp"}}})
            token = signed.json()["data"]["signUp"]["token"]
            yield client, Employer(settings, token, await User.get(email=f"boss@{DOMAIN}"))


def _show_difference(field: str, graphql: Any, sql: Any) -> None:
    """The first edges that differ, to debug the hand-written side."""
    a, b = graphql["data"][field], sql["data"][field]
    print("totalCount", a.get("totalCount"), b.get("totalCount"), "pageInfo", a["pageInfo"], b["pageInfo"], file=sys.stderr)
    differing = [(x, y) for x, y in zip(a["edges"], b["edges"], strict=False) if x != y]
    for x, y in differing[:3]:
        print("graphql", x, "\nsql    ", y, file=sys.stderr)


async def _compare(client: httpx.AsyncClient, employer: Employer, query: str, page: Page, runs: int) -> list[float]:
    """Check both sides answer the same document (warming the caches), then time them:
    the medians in ms of wall-clock GraphQL, SQL, then CPU GraphQL, SQL."""
    body = {"query": query, "variables": page.variables}
    headers = {"Authorization": f"Bearer {employer.token}"}

    async def graphql() -> bytes:
        response = await client.post("/graphql", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.content

    from_graphql, from_sql = json.loads(await graphql()), json.loads(await page.by_hand())
    assert "errors" not in from_graphql, from_graphql
    assert len(from_graphql["data"][page.field]["edges"]) == page.edges, from_graphql
    if from_graphql != from_sql:
        _show_difference(page.field, from_graphql, from_sql)
    assert from_graphql == from_sql, "the hand-written side does not build the same response"
    return [statistics.median(samples) * 1000 for samples in await timed(graphql, page.by_hand, runs)]


async def run(
    args: argparse.Namespace,
    query: str,
    unit: str,
    seed: Callable[[], Awaitable[None]],
    prepare: Callable[[Employer], Awaitable[Page]],
) -> None:
    """Seed, sign the employer up, ``prepare`` the page (its own seeding around the
    employer's company, its variables, its hand-written side), compare, time and print."""
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite://{tmp}/bench.sqlite3"
        async with _served(url, seed) as (client, employer):
            medians = await _compare(client, employer, query, await prepare(employer), args.runs)
    print(f"database: {'sqlite' if url.startswith('sqlite') else 'postgres'}  page: {args.first} {unit}  runs: {args.runs}")
    print(f"graphql (in-process ASGI) median: {medians[0]:.1f} ms   CPU {medians[2]:.1f} ms")
    print(f"hand-written SQL + json   median: {medians[1]:.1f} ms   CPU {medians[3]:.1f} ms")
    print(f"ratio: {medians[0] / medians[1]:.1f}x   CPU ratio: {medians[2] / medians[3]:.1f}x")
