"""Test harness: a real database per test and the real ASGI app.

- ``backend``: every test that uses the database runs on SQLite; when
  ``TEST_POSTGRES_URL`` is set it runs on PostgreSQL too. If the variable is set and the
  server does not answer, the tests fail (they never skip silently).
- The schema is migrated once per session into a template (a SQLite file, a PostgreSQL
  template database); each test gets a fresh copy.
- ``app`` runs the real lifespan (Tortoise + broker); ``client`` talks to it through
  httpx (HTTP) and httpx-ws (WebSocket), both in-process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse, urlunparse

import httpx
import pytest
from httpx_ws.transport import ASGIWebSocketTransport
from tortoise.backends.base.executor import EXECUTOR_CACHE

from graph.app import create_app
from graph.database import apply_migrations
from graph.settings import Settings
from tests.graphql import GraphQLClient

T = TypeVar("T")

FAST_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")

BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def base_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "extra": dict(FAST_ARGON2),
    }
    values.update(overrides)
    return Settings(**values)


# --- PostgreSQL administration -------------------------------------------------------

def _pg_url_with_db(url: str, database: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{database}"))


async def _pg_admin(sql: str) -> None:
    import asyncpg

    assert POSTGRES_URL
    conn = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


# --- Templates -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    asyncio.run(apply_migrations(base_settings(f"sqlite://{path}")))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    assert POSTGRES_URL, "TEST_POSTGRES_URL is not set"
    name = f"ofw_template_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # set but unreachable: fail loudly, never skip
        pytest.fail(f"TEST_POSTGRES_URL is set but PostgreSQL does not answer: {exc!r}")
    asyncio.run(apply_migrations(base_settings(_pg_url_with_db(POSTGRES_URL, name))))
    yield name
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    # Tortoise caches INSERT statements per (connection name, table), whatever the
    # dialect: a process that switches the "default" connection from SQLite to
    # PostgreSQL would reuse SQLite's placeholders. Only tests switch backends.
    EXECUTOR_CACHE.clear()
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite://{path}"
        return
    template = request.getfixturevalue("postgres_template")
    assert POSTGRES_URL
    name = f"ofw_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_url_with_db(POSTGRES_URL, name)
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, on each backend."""
    if backend == "sqlite":
        yield f"sqlite://{tmp_path}/empty.sqlite3"
        return
    assert POSTGRES_URL
    name = f"ofw_empty_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"TEST_POSTGRES_URL is set but PostgreSQL does not answer: {exc!r}")
    yield _pg_url_with_db(POSTGRES_URL, name)
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url)


@contextlib.asynccontextmanager
async def held(cm: contextlib.AbstractAsyncContextManager[T]) -> AsyncIterator[T]:
    """Enter and exit ``cm`` in one dedicated task. pytest-asyncio may run a fixture's
    setup and teardown in different tasks; anyio task groups refuse that."""
    entered: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    release = asyncio.Event()

    async def holder() -> None:
        try:
            async with cm as value:
                entered.set_result(value)
                await release.wait()
        except BaseException as exc:
            if not entered.done():
                entered.set_exception(exc)
            raise

    task = asyncio.create_task(holder())
    try:
        yield await entered
    finally:
        release.set()
        await task


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    """The real app with its lifespan, and an httpx client speaking HTTP and WebSocket."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        async with ASGIWebSocketTransport(application) as transport:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield application, client


@pytest.fixture
async def app_and_http(settings: Settings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    async with held(running_app(settings)) as pair:
        yield pair


@pytest.fixture
def app(app_and_http: tuple[object, httpx.AsyncClient]) -> object:
    return app_and_http[0]


@pytest.fixture
def http(app_and_http: tuple[object, httpx.AsyncClient]) -> httpx.AsyncClient:
    return app_and_http[1]


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    return REDIS_URL


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    import sys

    fuzz = sys.modules.get("tests.graph.test_fuzz")
    if fuzz is not None and fuzz.RUN_COUNT["cases"]:
        terminalreporter.write_line(f"fuzzing: {fuzz.RUN_COUNT['cases']} generated GraphQL requests sent")
