"""The ORM configuration and the migration commands built on Tortoise's own API.

Migrations live in ``migrations/`` as versioned files made by ``openforwork
makemigrations`` (Tortoise's autodetector) and applied by ``openforwork migrate``.
"""

from __future__ import annotations

import logging
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import ConfigurationError
from tortoise.migrations.api.migrate import migrate as tortoise_migrate
from tortoise.migrations.autodetector import MigrationAutodetector

from graph.settings import Settings
from graph.sqlite_engine import ImmediateSqliteClient
from models import MODEL_MODULES

MIGRATIONS_MODULE = "migrations"


def normalise_database_url(url: str) -> str:
    """Tortoise names PostgreSQL ``postgres://``; accept ``postgresql://`` too."""
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://"):]
    return url


async def release_database_memory() -> None:
    """Every SQLite connection's page cache back to the allocator
    (``ImmediateSqliteClient.release_memory``); nothing on PostgreSQL, whose cache lives in
    its server. For ``graph.memory.IdleTrim``."""
    try:
        clients = connections.all()
    except ConfigurationError:  # Tortoise not started (or already closed)
        return
    for client in clients:
        if isinstance(client, ImmediateSqliteClient):
            await client.release_memory()


def tortoise_config(settings: Settings) -> dict[str, Any]:
    connection = expand_db_url(normalise_database_url(settings.database_url))
    if connection["engine"] == "tortoise.backends.sqlite":
        connection["engine"] = "graph.sqlite_engine"  # BEGIN IMMEDIATE: see that module
        credentials = connection["credentials"]
        credentials.setdefault("journal_mode", "WAL")
        credentials.setdefault("synchronous", "NORMAL")
        credentials["busy_timeout"] = settings.sqlite_busy_timeout_ms
        credentials.setdefault("foreign_keys", "ON")
    else:
        credentials = connection["credentials"]
        credentials.setdefault("minsize", 1)
        credentials.setdefault("maxsize", int(settings.extra.get("DB_POOL_SIZE", 10)))
        # asyncpg prepares every statement; after five runs PostgreSQL may switch a prepared
        # statement to a generic plan that ignores the parameter values. Search statements
        # are exactly where values decide the plan (a word in 90% of profiles or in 0.1%, a
        # country filter or none): generic plans made them up to 10x slower at 1M profiles
        # (bench/search_postgres.py). Custom plans cost a re-plan per run (tens of µs).
        server_settings = dict(credentials.get("server_settings") or {})
        server_settings.setdefault("plan_cache_mode", "force_custom_plan")
        credentials["server_settings"] = server_settings
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def apply_migrations(settings: Settings) -> None:
    """Bring the database to the newest migration (creates a SQLite file if missing)."""
    try:
        await tortoise_migrate(config=tortoise_config(settings))
    finally:
        await Tortoise.close_connections()


async def pending_model_changes(settings: Settings) -> list[str]:
    """Names of migrations ``makemigrations`` would write now; empty when up to date."""
    config = tortoise_config(settings)
    await Tortoise.init(config=config, init_connections=False)
    try:
        autodetector = MigrationAutodetector(Tortoise.apps, config["apps"])
        writers = await autodetector.changes()
        return [f"{writer.app_label}.{writer.name}" for writer in writers]
    finally:
        await Tortoise.close_connections()


async def make_migrations(settings: Settings, name: str | None = None) -> list[str]:
    """Write migration files for model changes; returns the paths written."""
    from tortoise.migrations.writer import format_migration_name

    config = tortoise_config(settings)
    await Tortoise.init(config=config, init_connections=False)
    try:
        autodetector = MigrationAutodetector(Tortoise.apps, config["apps"])
        writers = await autodetector.changes()
        paths = []
        for writer in writers:
            if name:
                number = int(writer.name.split("_", 1)[0])
                writer.name = format_migration_name(number, name)
            paths.append(str(writer.write()))
        return paths
    finally:
        await Tortoise.close_connections()


SQL_LOGGER = "tortoise.db_client"
# aiosqlite logs every call with its arguments at DEBUG: never useful beside the SQL log.
DRIVER_LOGGERS = ("aiosqlite",)


class HideSqlValues(logging.Filter):
    """Keeps the statement of a Tortoise SQL log line, drops its values (password
    hashes, emails, message bodies): Tortoise logs ``"%s: %s" % (sql, values)``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 2:
            record.args = (record.args[0], "[values hidden in production]")
        return True


def configure_sql_log(settings: Settings) -> None:
    """The ORM's SQL log is its own switch (``LOG_SQL``), whatever ``LOG_LEVEL`` says:
    at DEBUG it carried every statement with its values. In production the values are
    never written, even with ``LOG_SQL=true``."""
    for name in DRIVER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    sql_logger = logging.getLogger(SQL_LOGGER)
    sql_logger.setLevel(logging.DEBUG if settings.log_sql else logging.WARNING)
    for existing in [f for f in sql_logger.filters if isinstance(f, HideSqlValues)]:
        sql_logger.removeFilter(existing)
    if settings.is_production:
        sql_logger.addFilter(HideSqlValues())
