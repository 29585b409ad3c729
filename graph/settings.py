"""Configuration, read once from the environment by ``Settings.from_env()``.

Every field has a working default for development. A bad value stops start-up with
one line naming the variable (``SettingsError``). Nothing here runs at import time:
the composition root (``graph.app.create_app``) and the CLI build a ``Settings``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

PLACEHOLDER_SECRET = "dev-insecure-secret-change-me"


class SettingsError(ValueError):
    """A configuration variable holds a value the service cannot run with."""


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def _email_url(env: Mapping[str, str]) -> str:
    value = env.get("EMAIL_URL", "log://").strip() or "log://"
    parsed = urlparse(value)
    if parsed.scheme not in ("smtp", "smtps", "log", "file"):
        raise SettingsError(f"EMAIL_URL: use smtp://, smtps://, log:// or file:///folder, not {value!r}")
    if parsed.scheme in ("smtp", "smtps") and not parsed.hostname:
        raise SettingsError("EMAIL_URL: smtp:// needs a host, such as smtp://mail.example.com:587")
    return value


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """All configuration of one running service. Build with ``from_env`` or directly."""

    environment: str = "development"
    database_url: str = "sqlite://openforwork.sqlite3"
    broadcast_url: str = "memory://"
    # memory://, redis://… or postgres://… (LISTEN/NOTIFY, subscriptions/broker_postgres.py).
    # Prefix of every broker channel (Redis or PostgreSQL): deployments (or test runs) sharing one server stay apart.
    broadcast_channel_prefix: str = "ofw:"
    # Events a subscriber may fall behind before it is cut off (it resumes with `after`).
    subscriber_queue_size: int = 256
    secret_key: str = PLACEHOLDER_SECRET
    token_ttl_seconds: int = 30 * 24 * 3600
    # How long a worker answers a bearer token from memory before reading it again
    # (resolvers/accounts/sessions.py); revocations evict at once. 0: no cache.
    session_cache_seconds: int = 30
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: tuple[str, ...] = ()
    graphiql: bool = True
    # Where the GraphiQL page loads React and GraphiQL from: `local` (vendored, served by
    # the service under /graphql/assets/) or `cdn` (strawberry's page, a public CDN).
    graphiql_assets: str = "local"
    introspection: bool = True
    # Protection limits (DESIGN §3).
    max_depth: int = 12
    max_tokens: int = 5_000
    max_aliases: int = 30
    # Fields, fragment spreads and inline fragments of a document once its fragments are
    # expanded (all operations together); half as many repeated same-path field pairs.
    max_selections: int = 2_000
    max_body_bytes: int = 2 * 1024 * 1024
    max_subscriptions_per_connection: int = 20
    # Signed-in WebSocket connections one account may hold open (per worker process).
    max_websockets_per_user: int = 20
    max_ws_frame_bytes: int = 256 * 1024
    # Server timeouts: a request body must arrive within this (408 beyond); idle
    # keep-alive connections close after http_keep_alive_seconds; at most max_connections
    # open connections per worker (uvicorn answers 503 beyond).
    body_read_timeout_seconds: int = 30
    http_keep_alive_seconds: int = 5
    max_connections: int = 2_000
    # Off by default: chat frames are small, and a deflate context per socket cost ~40 KiB
    # of the ~98 KiB an idle subscription took (bench/chat.py).
    ws_per_message_deflate: bool = False
    persisted_queries: str = "apq"  # off | apq | allowlist
    connection_init_timeout_seconds: int = 10
    login_attempts_per_window: int = 10
    login_window_seconds: int = 300
    messages_per_minute: int = 60
    contact_requests_per_week: int = 20
    # The same quota for a company that is not verified (it reaches only candidates who
    # accept contact from any company).
    unverified_contact_requests_per_week: int = 3
    offers_per_hour: int = 20
    costly_mutations_per_minute_per_address: int = 120
    availability_ttl_days: int = 60
    # An interview proposal nobody picked a slot of expires after this many days.
    interview_proposal_ttl_days: int = 14
    # Search results up to this size are counted and ranked exactly; above it totalCount is an estimate.
    search_exact_count_limit: int = 10_000
    sqlite_busy_timeout_ms: int = 5_000
    log_level: str = "INFO"
    # The ORM's SQL statements (tortoise.db_client) at DEBUG; values hidden in production.
    log_sql: bool = False
    # GET /debug/memory (process memory, live object counts, cache sizes) for bench/soak.py.
    # Off by default and refused in production.
    debug_endpoints: bool = False
    # Prometheus metrics (graph/metrics.py): GET /metrics on the API port for this bearer
    # token, and/or a separate listener on metrics_host:metrics_port (0: none). Neither: off.
    metrics_token: str = ""
    metrics_port: int = 0
    metrics_host: str = "127.0.0.1"
    # Outgoing mail (resolvers/mail): smtp://user:pass@host:587, smtps://host:465,
    # log:// (into the log: the default, a newcomer reads their code there) or
    # file:///folder (one .eml file per mail).
    email_url: str = "log://"
    email_from: str = "OpenForWork <no-reply@openforwork.local>"
    # in-process: every web worker runs a mail sender (safe with several: each row is
    # claimed by one); off: run `openforwork worker` instead.
    mail_sender: str = "in-process"
    # Where people reach the service (links in mails, such as unsubscribe): PUBLIC_URL.
    public_url: str = "http://127.0.0.1:8000"
    # A message notification is mailed only when still unread this long after (resolvers/notifications).
    message_mail_delay_minutes: int = 10
    # Seconds a sender holds a claimed mail before another may take it (4x the SMTP timeout).
    mail_lease_seconds: int = 120
    # in-process: every web worker runs the scheduler of periodic jobs (safe with several:
    # each run is claimed by one); off: run `openforwork worker` instead (resolvers/scheduler).
    scheduler: str = "in-process"
    # Seconds between two looks at the schedule.
    scheduler_poll_seconds: int = 15
    # Seconds a worker holds a claimed job run before another may run it again (a killed worker's run).
    scheduler_lease_seconds: int = 600
    # An unanswered contact request expires after this many days (resolvers/chat/expiry.py).
    contact_request_expiry_days: int = 14
    # OpenTelemetry tracing (graph/tracing.py): off unless an OTLP/HTTP endpoint is set.
    otel_endpoint: str = ""
    otel_service_name: str = "openforwork"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def metrics_enabled(self) -> bool:
        return bool(self.metrics_token) or self.metrics_port > 0

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        environment = _environment(env)
        is_prod = environment == "production"
        # Keyword arguments run in order: the first bad variable is the one reported.
        return cls(
            environment=environment,
            database_url=_url(
                env, "DATABASE_URL", cls.database_url, {"sqlite", "postgres", "postgresql", "asyncpg"},
                "sqlite://, postgres:// or postgresql://",
            ),
            broadcast_url=_url(
                env, "BROADCAST_URL", cls.broadcast_url, {"memory", "redis", "rediss", "postgres", "postgresql"},
                "memory://, redis:// or postgres:// (also postgresql://)",
            ),
            secret_key=_secret_key(env, is_prod),
            log_level=_log_level(env),
            debug_endpoints=_debug_endpoints(env, is_prod),
            metrics_token=_metrics_token(env),
            otel_endpoint=_otel_endpoint(env),
            broadcast_channel_prefix=env.get("BROADCAST_CHANNEL_PREFIX", cls.broadcast_channel_prefix),
            host=env.get("HOST", cls.host),
            allowed_origins=_list(env, "ALLOWED_ORIGINS", ()),
            graphiql=_bool(env, "GRAPHIQL", not is_prod),
            graphiql_assets=_choice(env, "GRAPHIQL_ASSETS", cls.graphiql_assets, ("local", "cdn")),
            introspection=_bool(env, "INTROSPECTION", not is_prod),
            ws_per_message_deflate=_bool(env, "WS_PER_MESSAGE_DEFLATE", cls.ws_per_message_deflate),
            persisted_queries=_choice(env, "PERSISTED_QUERIES", "allowlist" if is_prod else "apq", ("off", "apq", "allowlist")),
            extra={
                name: str(_int(env, name, 0, minimum=minimum)) for name, minimum in _EXTRA_INTEGERS.items() if env.get(name)
            },
            log_sql=_bool(env, "LOG_SQL", cls.log_sql),
            metrics_host=env.get("METRICS_HOST", cls.metrics_host),
            email_url=_email_url(env),
            email_from=env.get("EMAIL_FROM", cls.email_from).strip() or cls.email_from,
            mail_sender=_choice(env, "MAIL_SENDER", cls.mail_sender, ("in-process", "off")),
            public_url=_url(env, "PUBLIC_URL", cls.public_url, {"http", "https"}, "http:// or https://").rstrip("/"),
            scheduler=_choice(env, "SCHEDULER", cls.scheduler, ("in-process", "off")),
            otel_service_name=env.get("OTEL_SERVICE_NAME", cls.otel_service_name).strip() or cls.otel_service_name,
            **_integers(cls, env),
        )


# Integer settings: field -> (variable, smallest value accepted); unset, the field's default.
_INTEGERS: dict[str, tuple[str, int]] = {
    "subscriber_queue_size": ("SUBSCRIBER_QUEUE_SIZE", 1),
    "token_ttl_seconds": ("TOKEN_TTL_SECONDS", 60),
    "session_cache_seconds": ("SESSION_CACHE_SECONDS", 0),
    "port": ("PORT", 1),
    "max_depth": ("MAX_QUERY_DEPTH", 2),
    "max_tokens": ("MAX_QUERY_TOKENS", 10),
    "max_aliases": ("MAX_QUERY_ALIASES", 1),
    "max_selections": ("MAX_QUERY_SELECTIONS", 10),
    "max_body_bytes": ("MAX_BODY_BYTES", 1024),
    "max_subscriptions_per_connection": ("MAX_SUBSCRIPTIONS_PER_CONNECTION", 1),
    "max_websockets_per_user": ("MAX_WEBSOCKETS_PER_USER", 1),
    "body_read_timeout_seconds": ("BODY_READ_TIMEOUT_SECONDS", 1),
    "http_keep_alive_seconds": ("HTTP_KEEP_ALIVE_SECONDS", 1),
    "max_connections": ("MAX_CONNECTIONS", 10),
    "max_ws_frame_bytes": ("MAX_WS_FRAME_BYTES", 1024),
    "connection_init_timeout_seconds": ("CONNECTION_INIT_TIMEOUT_SECONDS", 1),
    "login_attempts_per_window": ("LOGIN_ATTEMPTS_PER_WINDOW", 1),
    "login_window_seconds": ("LOGIN_WINDOW_SECONDS", 1),
    "messages_per_minute": ("MESSAGES_PER_MINUTE", 1),
    "contact_requests_per_week": ("CONTACT_REQUESTS_PER_WEEK", 1),
    "unverified_contact_requests_per_week": ("UNVERIFIED_CONTACT_REQUESTS_PER_WEEK", 1),
    "offers_per_hour": ("OFFERS_PER_HOUR", 1),
    "costly_mutations_per_minute_per_address": ("COSTLY_MUTATIONS_PER_MINUTE_PER_ADDRESS", 1),
    "availability_ttl_days": ("AVAILABILITY_TTL_DAYS", 1),
    "interview_proposal_ttl_days": ("INTERVIEW_PROPOSAL_TTL_DAYS", 1),
    "search_exact_count_limit": ("SEARCH_EXACT_COUNT_LIMIT", 1),
    "sqlite_busy_timeout_ms": ("SQLITE_BUSY_TIMEOUT_MS", 0),
    "metrics_port": ("METRICS_PORT", 0),
    "message_mail_delay_minutes": ("MESSAGE_MAIL_DELAY_MINUTES", 0),
    "mail_lease_seconds": ("MAIL_LEASE_SECONDS", 1),
    "scheduler_poll_seconds": ("SCHEDULER_POLL_SECONDS", 1),
    "scheduler_lease_seconds": ("SCHEDULER_LEASE_SECONDS", 1),
    "contact_request_expiry_days": ("CONTACT_REQUEST_EXPIRY_DAYS", 1),
}
# Read only when set and kept as text in ``Settings.extra``: variable -> smallest value.
_EXTRA_INTEGERS = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024, "DB_POOL_SIZE": 1}


def _integers(cls: type[Settings], env: Mapping[str, str]) -> dict[str, Any]:
    return {
        name: _int(env, variable, getattr(cls, name), minimum=minimum)
        for name, (variable, minimum) in _INTEGERS.items()
    }


def _environment(env: Mapping[str, str]) -> str:
    environment = env.get("ENVIRONMENT", "development").strip() or "development"
    if environment not in {"development", "test", "production"}:
        raise SettingsError(f"ENVIRONMENT must be development, test or production, got {environment!r}")
    return environment


def _url(env: Mapping[str, str], name: str, default: str, schemes: set[str], accepted: str) -> str:
    url = env.get(name, default)
    if urlparse(url).scheme not in schemes:
        raise SettingsError(f"{name} must start with {accepted}, got {url!r}")
    return url


def _secret_key(env: Mapping[str, str], is_prod: bool) -> str:
    secret_key = env.get("SECRET_KEY", PLACEHOLDER_SECRET)
    if is_prod and (secret_key == PLACEHOLDER_SECRET or len(secret_key) < 32):
        raise SettingsError("SECRET_KEY must be set to a random value of at least 32 characters in production")
    return secret_key


def _log_level(env: Mapping[str, str]) -> str:
    log_level = env.get("LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    return log_level


def _debug_endpoints(env: Mapping[str, str], is_prod: bool) -> bool:
    debug_endpoints = _bool(env, "DEBUG_ENDPOINTS", False)
    if is_prod and debug_endpoints:
        raise SettingsError("DEBUG_ENDPOINTS must not be true in production")
    return debug_endpoints


def _metrics_token(env: Mapping[str, str]) -> str:
    metrics_token = env.get("METRICS_TOKEN", "").strip()
    if metrics_token and len(metrics_token) < 16:
        raise SettingsError("METRICS_TOKEN must be at least 16 characters (a random value)")
    return metrics_token


def _otel_endpoint(env: Mapping[str, str]) -> str:
    otel_endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    if otel_endpoint and urlparse(otel_endpoint).scheme not in {"http", "https"}:
        raise SettingsError(
            f"OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL (OTLP over HTTP), got {otel_endpoint!r}"
        )
    protocol = env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf").strip()
    if otel_endpoint and protocol != "http/protobuf":
        raise SettingsError(f"OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf (the only one shipped), got {protocol!r}")
    return otel_endpoint
