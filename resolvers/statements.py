"""Raw SQL for the few hot writes where Tortoise would spend several statements (and, on
SQLite, as many hops to aiosqlite's thread): chat's ``send_statement`` and the message
notification of ``notifications.message_statement``. Written once with ``?``
placeholders; ``placeholders`` numbers them ``$1, $2, …`` for PostgreSQL."""

from __future__ import annotations

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient


def is_postgres(connection: BaseDBAsyncClient | None = None) -> bool:
    """Whether ``connection`` (default: the current ``default`` one) speaks PostgreSQL."""
    return (connection or connections.get("default")).capabilities.dialect == "postgres"


def placeholders(sql: str, postgres: bool) -> str:
    """``sql`` with its ``?`` placeholders as PostgreSQL's ``$n`` when ``postgres``."""
    if not postgres:
        return sql
    parts = sql.split("?")
    return "".join(part + (f"${i + 1}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))
