"""Scale-out tests need PostgreSQL and Redis: they run when TEST_POSTGRES_URL and
TEST_REDIS_URL are set (CI sets both) and are skipped otherwise."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def backend() -> str:
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set")
    return "postgres"


@pytest.fixture
def shared_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Environment for server processes sharing one database and one Redis."""
    import uuid

    return {
        "DATABASE_URL": database_url,
        "BROADCAST_URL": redis_url,
        "BROADCAST_CHANNEL_PREFIX": f"t{uuid.uuid4().hex[:8]}:",
    }
