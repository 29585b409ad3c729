"""Settings come from the environment; a bad value names the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.settings import PLACEHOLDER_SECRET, Settings, SettingsError


def test_defaults_work_without_any_variable() -> None:
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite://")
    assert settings.broadcast_url == "memory://"
    assert settings.host == "127.0.0.1" and settings.port == 8000
    assert settings.graphiql and settings.introspection


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "0"}, "PORT"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"BROADCAST_URL": "kafka://x"}, "BROADCAST_URL"),
        ({"TOKEN_TTL_SECONDS": "-5"}, "TOKEN_TTL_SECONDS"),
        ({"GRAPHIQL": "maybe"}, "GRAPHIQL"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"ENVIRONMENT": "production"}, "SECRET_KEY"),
        ({"ENVIRONMENT": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"MAX_QUERY_DEPTH": "1"}, "MAX_QUERY_DEPTH"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env(env)


def test_production_turns_graphiql_and_introspection_off() -> None:
    settings = Settings.from_env({"ENVIRONMENT": "production", "SECRET_KEY": "s" * 40})
    assert settings.secret_key != PLACEHOLDER_SECRET
    assert not settings.graphiql and not settings.introspection


def test_cli_stops_with_one_line_naming_the_variable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "migrate"],
        env={"PORT": "nope", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["openforwork: configuration error: PORT must be an integer, got 'nope'"]


def test_cli_refuses_several_workers_on_sqlite(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "serve", "--workers", "2"],
        env={"DATABASE_URL": f"sqlite://{tmp_path}/x.sqlite3", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs PostgreSQL" in result.stderr


@pytest.mark.parametrize("url", ["postgres://app@db:5432/ofw", "postgresql://app@db/ofw"])
def test_broadcast_url_may_be_postgres(url: str) -> None:
    assert Settings.from_env({"BROADCAST_URL": url}).broadcast_url == url


def test_cli_names_postgres_as_a_broadcast_for_several_workers(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "serve", "--workers", "2"],
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/x", "BROADCAST_URL": "memory://", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "BROADCAST_URL=postgres://" in result.stderr
