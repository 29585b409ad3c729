"""Migrations: applied by one command on an empty database, and in step with the models."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

from graph.database import pending_model_changes
from graph.settings import Settings


def test_migrate_command_on_an_empty_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "migrate"],
        env={"DATABASE_URL": f"sqlite://{db}", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
        assert {"user", "company", "auth_token", "profile", "message", "offer"} <= tables
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        # every foreign-key column has an index
        unindexed = []
        for table in tables:
            fks = {row[3] for row in conn.execute(f'pragma foreign_key_list("{table}")')}
            indexed = set()
            for index in conn.execute(f'pragma index_list("{table}")'):
                cols = [c[2] for c in conn.execute(f'pragma index_info("{index[1]}")')]
                if cols:
                    indexed.add(cols[0])
            unindexed += [f"{table}.{fk}" for fk in fks - indexed]
        assert unindexed == []
    # a second run is a no-op
    again = subprocess.run(
        [sys.executable, "-m", "graph.cli", "migrate"],
        env={"DATABASE_URL": f"sqlite://{db}", "PATH": ""},
        capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert again.returncode == 0, again.stderr


def test_migrations_are_in_step_with_models(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite://{tmp_path}/x.sqlite3")
    assert asyncio.run(pending_model_changes(settings)) == [], (
        "models changed without a migration: run `openforwork makemigrations`"
    )


async def test_migrated_database_serves_requests(gql, backend) -> None:
    # the `gql` fixture's database was built by the migrations (on each backend)
    data = await gql.execute("{ viewer { id } }")
    assert data == {"viewer": None}


def migration_names() -> list[str]:
    folder = Path(__file__).resolve().parents[2] / "migrations"
    return sorted(p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


def test_migrations_apply_from_every_earlier_version(empty_database_url: str, backend: str) -> None:
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate

    from graph.database import apply_migrations, tortoise_config

    settings = Settings(database_url=empty_database_url)
    names = migration_names()
    assert names, "no migrations found"

    async def step_through() -> None:
        # from empty, one version at a time
        for name in names:
            try:
                await migrate(config=tortoise_config(settings), target=f"models.{name}")
            finally:
                await Tortoise.close_connections()
        # at the newest version, `migrate` is a no-op and the models match
        await apply_migrations(settings)

    asyncio.run(step_through())
    assert asyncio.run(pending_model_changes(settings)) == []


def test_migrations_go_back_to_empty_and_forward_again(empty_database_url: str, backend: str) -> None:
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate

    from graph.database import apply_migrations, tortoise_config

    settings = Settings(database_url=empty_database_url)

    async def down_and_up() -> None:
        await apply_migrations(settings)
        try:
            await migrate(config=tortoise_config(settings), target="models.__first__", direction="backward")
        finally:
            await Tortoise.close_connections()
        await apply_migrations(settings)

    asyncio.run(down_and_up())
    if backend == "sqlite":
        path = empty_database_url.removeprefix("sqlite://")
        with sqlite3.connect(path) as conn:
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
        assert {"user", "profile", "offer"} <= tables
